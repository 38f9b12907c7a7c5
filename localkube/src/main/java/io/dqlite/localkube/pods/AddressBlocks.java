package io.dqlite.localkube.pods;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Machine-wide ownership of the /24 blocks {@code 127.1.<n>.0/24}: several node agents (a dev
 * cluster, test clusters, a colleague's) run on one machine, and two pods must never share an
 * address. A block is owned by holding a lock on {@code dir/127.1.<n>.lock}; the operating system
 * drops the lock when the process dies, however it dies, so nothing needs cleaning up.
 */
final class AddressBlocks implements AutoCloseable {
  private final Path dir;
  private final Map<Integer, FileLock> held = new HashMap<>();

  AddressBlocks(Path dir) {
    this.dir = dir;
  }

  /** The default lock directory, shared by every agent of this user on this machine. */
  static Path defaultDir() {
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "localkube-pod-ips-" + System.getProperty("user.name"));
  }

  /** Whether this process holds block {@code n}. */
  synchronized boolean holds(int n) {
    return held.containsKey(n);
  }

  /** Tries to take block {@code n} (0..255); true if it is (now) ours. */
  synchronized boolean claim(int n) {
    if (held.containsKey(n)) {
      return true;
    }
    try {
      Files.createDirectories(dir);
      FileChannel ch =
          FileChannel.open(
              dir.resolve("127.1." + n + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException sameJvm) {
        lock = null; // another allocator in this JVM has it
      }
      if (lock == null) {
        ch.close();
        return false;
      }
      held.put(n, lock);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("claim pod address block 127.1." + n + ".0/24 in " + dir, e);
    }
  }

  /** Takes the first free block, or fails when all 256 are owned. */
  synchronized int claimAny() {
    for (int n = 0; n < 256; n++) {
      if (!held.containsKey(n) && claim(n)) {
        return n;
      }
    }
    throw new IllegalStateException(
        "every pod address block 127.1.0-255.0/24 is owned by a"
            + " running node agent (locks in "
            + dir
            + ")");
  }

  /** Releases every block. */
  @Override
  public synchronized void close() {
    for (FileLock lock : held.values()) {
      try {
        lock.channel().close();
      } catch (IOException ignored) {
        // the lock goes with the process anyway
      }
    }
    held.clear();
  }
}
