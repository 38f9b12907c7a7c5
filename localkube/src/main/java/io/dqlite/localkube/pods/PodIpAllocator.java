package io.dqlite.localkube.pods;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hands out one loopback address per pod from 127.1.0.0/16. The space is shared by every node agent
 * on the machine, so an agent owns whole /24 blocks (see {@link AddressBlocks}) and assigns inside
 * them, round robin so that a freed address is not reused at once (a client may still hold it for
 * the pod that is gone). Addresses ending in .0 and .255 are skipped.
 */
public final class PodIpAllocator implements AutoCloseable {
  private final AddressBlocks blocks;
  private final Map<String, Integer> byPod = new HashMap<>();
  private final Map<Integer, String> byOffset = new HashMap<>();
  private int next = 1;

  /** Blocks claimed in the machine-wide default lock directory. */
  public PodIpAllocator() {
    this(AddressBlocks.defaultDir());
  }

  /** Blocks claimed in {@code lockDir} (tests use their own). */
  public PodIpAllocator(Path lockDir) {
    this.blocks = new AddressBlocks(lockDir);
  }

  /**
   * The pod's address: the one it already has, else {@code preferred} when it is in the range,
   * free, and its block is ours or can be claimed (a restarted agent keeps the addresses its pods
   * report), else the next free one.
   */
  public synchronized String allocate(String podUid, String preferred) {
    Integer held = byPod.get(podUid);
    if (held != null) {
      return format(held);
    }
    Optional<Integer> wanted =
        offsetOf(preferred).filter(o -> !byOffset.containsKey(o)).filter(o -> blocks.claim(o >> 8));
    int offset = wanted.orElseGet(this::nextFree);
    byPod.put(podUid, offset);
    byOffset.put(offset, podUid);
    return format(offset);
  }

  /** Frees the pod's address, if it had one. */
  public synchronized void release(String podUid) {
    Integer offset = byPod.remove(podUid);
    if (offset != null) {
      byOffset.remove(offset);
    }
  }

  /** The number of addresses in use. */
  public synchronized int inUse() {
    return byPod.size();
  }

  /** Gives the blocks back (also done by the OS when the process exits). */
  @Override
  public void close() {
    blocks.close();
  }

  private int nextFree() {
    for (int round = 0; round < 2; round++) {
      for (int tries = 0; tries < 1 << 16; tries++) {
        int candidate = next;
        next = (next + 1) & 0xffff;
        int last = candidate & 0xff;
        if (last != 0
            && last != 255
            && blocks.holds(candidate >> 8)
            && !byOffset.containsKey(candidate)) {
          return candidate;
        }
      }
      // Every address of our blocks is taken (or we have none yet): take another block.
      next = blocks.claimAny() << 8 | 1;
    }
    throw new IllegalStateException("no free pod address in 127.1.0.0/16");
  }

  static Optional<Integer> offsetOf(String ip) {
    if (ip == null || !ip.startsWith("127.1.")) {
      return Optional.empty();
    }
    String[] parts = ip.split("\\.");
    if (parts.length != 4) {
      return Optional.empty();
    }
    try {
      int third = Integer.parseInt(parts[2]);
      int fourth = Integer.parseInt(parts[3]);
      if (third < 0 || third > 255 || fourth < 1 || fourth > 254) {
        return Optional.empty();
      }
      return Optional.of((third << 8) | fourth);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String format(int offset) {
    return "127.1." + (offset >> 8) + "." + (offset & 0xff);
  }
}
