package io.dqlite.sidecar.daemon;

import io.dqlite.sidecar.node.EngineFeatures;
import java.util.Optional;

/**
 * The sidecar's defaults that depend on the libdqlite it finds at start (docs/native.md, "Two
 * engines"): a value the user set always wins; an unset option takes the default of the engine.
 * Pure, so that the choice is table-tested without a library.
 */
final class EngineDefaults {

  /**
   * Snapshot compression when {@code --snapshot-compression} is unset, on a library that has the
   * call (1.18): off. libdqlite 1.18.1 compresses by default (LZ4), but at the sidecar's snapshot
   * threshold of 384 entries a node snapshots every few seconds under load, and with compression
   * each snapshot costs an LZ4 buffer and its CPU for no memory gain: the steady resident set
   * measured 1 to 2 MiB higher with it, against a 96 MiB target met by about 2 MiB
   * (docs/benchmarks.md, "Sidecar"). The raft data on disk is larger without it; turn it on for
   * large, compressible databases.
   */
  static final boolean SNAPSHOT_COMPRESSION_1_18 = false;

  private EngineDefaults() {}

  /**
   * The snapshot compression to pass to libdqlite: {@code set} when set (on 1.11.1 a set value then
   * fails at create, naming the missing call); else the engine's default above where the library
   * has the call; else none (1.11.1: nothing is passed, the library has no such option).
   */
  static Optional<Boolean> snapshotCompression(EngineFeatures engine, Optional<Boolean> set) {
    if (set.isPresent()) {
      return set;
    }
    return engine.snapshotCompression() ? Optional.of(SNAPSHOT_COMPRESSION_1_18) : Optional.empty();
  }
}
