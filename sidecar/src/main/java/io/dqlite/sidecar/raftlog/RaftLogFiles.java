package io.dqlite.sidecar.raftlog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raft log position a data directory's file names (and its open segments' whole entries) prove.
 * Pure.
 *
 * <p>libraft's uv backend names closed segments {@code <first>-<last>} (16 digits each), open
 * segments {@code open-<counter>} and snapshots {@code snapshot-<term>-<index>-<timestamp>} with a
 * {@code .meta} beside. Entries of open segments follow the last closed segment, in counter order,
 * or the newest snapshot when no closed segment is left (libraft closes the open segment at every
 * snapshot and truncation: its barrier); that is how libraft numbers them when it loads the
 * directory. The position is a lower bound: {@code max(snapshot index, last closed index, base +
 * whole open entries)}, counting no open segment after one with a torn batch.
 */
public final class RaftLogFiles {

  private static final Pattern CLOSED = Pattern.compile("(\\d{16})-(\\d{16})");
  private static final Pattern OPEN = Pattern.compile("open-(\\d+)");
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d+)-(\\d+)-(\\d+)");

  private RaftLogFiles() {}

  /** What the names say, before any open segment is read. */
  public record Listing(
      long snapshotIndex, long lastClosedIndex, boolean anyClosed, List<String> open) {

    /** The index the first open segment's first entry follows. */
    public long openBase() {
      return anyClosed ? lastClosedIndex : snapshotIndex;
    }
  }

  /**
   * Classifies the names of a data directory. A snapshot counts only with both files (libraft
   * ignores one without its {@code .meta}); open segments are returned in counter order.
   */
  public static Listing list(Collection<String> names) {
    Set<String> all = new HashSet<>(names);
    long snapshot = 0;
    long closed = 0;
    boolean anyClosed = false;
    List<String> open = new ArrayList<>();
    for (String name : names) {
      Matcher m;
      if ((m = CLOSED.matcher(name)).matches()) {
        anyClosed = true;
        closed = Math.max(closed, Long.parseUnsignedLong(m.group(2)));
      } else if (OPEN.matcher(name).matches()) {
        open.add(name);
      } else if ((m = SNAPSHOT.matcher(name)).matches() && all.contains(name + ".meta")) {
        snapshot = Math.max(snapshot, Long.parseUnsignedLong(m.group(2)));
      }
    }
    open.sort(Comparator.comparingLong(n -> Long.parseUnsignedLong(n.substring(5))));
    return new Listing(snapshot, closed, anyClosed, List.copyOf(open));
  }

  /**
   * The last index the directory proves.
   *
   * @param scans the scan of each of {@code listing.open()}, by name; a segment without one (not
   *     read) ends the count
   */
  public static long lastIndex(Listing listing, Map<String, SegmentScan> scans) {
    long open = 0;
    for (String name : listing.open()) {
      SegmentScan scan = scans.get(name);
      if (scan == null) {
        break;
      }
      open += scan.entries();
      if (scan.torn()) {
        break;
      }
    }
    long fromOpen = open == 0 ? 0 : listing.openBase() + open;
    return Math.max(Math.max(listing.snapshotIndex(), listing.lastClosedIndex()), fromOpen);
  }
}
