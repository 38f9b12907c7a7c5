package io.dqlite.sidecar.fault;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small tmpfs mounted as a node's data directory, so that one node's disk can be filled without
 * touching the machine's. Mount points live under a directory named {@code dqf<pid>}, which is how
 * {@link #sweep()} finds those of dead runs.
 */
final class Tmpfs implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Tmpfs.class);
  private static final Pattern OWNED = Pattern.compile("/" + FaultNetwork.PREFIX + "(\\d+)/[^/]+$");

  private final Path dir;
  private boolean mounted;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code megabytes} at {@code dir}, creating the directory. */
  static Tmpfs mount(Path dir, int megabytes) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("create " + dir, e);
    }
    Cmd.run(
        "mount",
        "-t",
        "tmpfs",
        "-o",
        "size=" + megabytes + "m,mode=0700",
        "dqlite-fault",
        dir.toString());
    Tmpfs t = new Tmpfs(dir);
    t.mounted = true;
    return t;
  }

  Path dir() {
    return dir;
  }

  /**
   * Fills the file system to its last byte: appends to a filler file all the free space, then
   * single bytes until the kernel refuses one. Called again, it takes back whatever was freed
   * meanwhile (raft deletes old segments after a snapshot), so that the disk stays full.
   */
  void fill() throws IOException {
    Path filler = dir.resolve("filler");
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out =
        Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      long free = Files.getFileStore(dir).getUsableSpace();
      for (long written = 0; written < free; written += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, free - written));
      }
      for (int i = 0; i < chunk.length; i++) {
        out.write(0);
        out.flush();
      }
    } catch (IOException full) {
      return; // No space left: the goal.
    }
    throw new IllegalStateException(dir + " still accepts writes after its free space was filled");
  }

  /** Deletes the filler, freeing the space again. */
  void unfill() throws IOException {
    Files.deleteIfExists(dir.resolve("filler"));
  }

  @Override
  public void close() {
    if (mounted) {
      mounted = false;
      Cmd.attempt("umount", "-l", dir.toString());
    }
  }

  /** Unmounts the tmpfs of dead runs (mount points under {@code dqf<pid>} of a dead pid). */
  static void sweep() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
        String[] f = line.split(" ");
        if (f.length > 2 && f[0].equals("dqlite-fault") && isLeftover(f[1])) {
          Cmd.attempt("umount", "-l", f[1]);
          LOG.info("swept the leftover tmpfs {}", f[1]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("read /proc/mounts", e);
    }
  }

  static boolean isLeftover(String mountPoint) {
    Matcher m = OWNED.matcher(mountPoint);
    return m.find()
        && ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true);
  }
}
