package io.dqlite.sidecar.zone;

import java.nio.charset.StandardCharsets;

/**
 * Maps a zone name to a dqlite failure-domain code, the number the role algorithm compares to
 * spread voters and stand-bys over zones.
 *
 * <p>The mapping is FNV-1a 64 of the zone's UTF-8 bytes, masked to 63 bits so the code is positive
 * as a signed Java long and in YAML; a hash that masks to 0 becomes 1. So: the same zone name gives
 * the same code on every node, in every version, with no shared state; different zones get
 * different codes except with probability about n²/2⁶⁴; a missing or empty zone gives 0, dqlite's
 * "no failure domain", which a non-empty zone never gives. Changing this function changes every
 * node's domain after a rolling restart: the golden values in its test pin it.
 */
public final class FailureDomains {

  /** The domain of a node whose zone is unknown: dqlite's default. */
  public static final long NONE = 0;

  private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private FailureDomains() {}

  /**
   * The failure domain of {@code zone}.
   *
   * @param zone the zone name, e.g. the value of {@code topology.kubernetes.io/zone}; null or empty
   *     (after trimming) means unknown
   * @return 0 for an unknown zone, otherwise a code in [1, 2⁶³-1]
   */
  public static long of(String zone) {
    if (zone == null || zone.strip().isEmpty()) {
      return NONE;
    }
    long hash = FNV_OFFSET_BASIS;
    for (byte b : zone.strip().getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    hash &= Long.MAX_VALUE;
    return hash == 0 ? 1 : hash;
  }
}
