package io.dqlite.sidecar.daemon;

import io.dqlite.sidecar.app.FitnessCheck;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's {@link FitnessCheck}: free space on the file system of the data directory. Below
 * {@code --min-free-disk} raft soon cannot open its next segment, and libdqlite's leader then fails
 * every write with {@code disk I/O error} while it keeps leading (docs/reliability.md). The space
 * is read with one {@code statvfs} per call, which is cheap and says so before any write fails;
 * watching for failed writes would have the node fail some first, and a leader's sidecar does not
 * see the writes that other pods' sidecars forward. Once low, the space must come back to 125% of
 * the minimum before the node counts as fit again, so that the raft files it frees meanwhile (after
 * a snapshot) do not make it flap.
 */
final class FreeSpace implements FitnessCheck {

  private static final Logger log = LoggerFactory.getLogger(FreeSpace.class);

  private final Path dir;
  private final long minFree;
  private FileStore store;
  private boolean low;

  FreeSpace(Path dir, long minFree) {
    this.dir = dir;
    this.minFree = minFree;
  }

  /**
   * Whether the space is low now: pure.
   *
   * @param wasLow whether it was low at the last look
   * @param free the usable bytes now
   * @param minFree the minimum; 0 = never low
   */
  static boolean isLow(boolean wasLow, long free, long minFree) {
    if (minFree <= 0) {
      return false;
    }
    long bar = wasLow ? minFree + minFree / 4 : minFree;
    return free < bar;
  }

  @Override
  public synchronized Optional<String> problem() {
    if (minFree <= 0) {
      return Optional.empty();
    }
    long free;
    try {
      if (store == null) {
        store = Files.getFileStore(dir);
      }
      free = store.getUsableSpace();
    } catch (IOException e) {
      // Unknown: keep the last answer rather than flap on a passing error.
      log.warn("free space of {}: {}", dir, e.toString());
      return answer();
    }
    low = isLow(low, free, minFree);
    return answer(free);
  }

  private Optional<String> answer() {
    return low ? Optional.of(dir + " is nearly full") : Optional.empty();
  }

  private Optional<String> answer(long free) {
    return low
        ? Optional.of(
            dir
                + " has "
                + mib(free)
                + " free, below --min-free-disk "
                + mib(minFree)
                + " (free some space or grow the volume)")
        : Optional.empty();
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
