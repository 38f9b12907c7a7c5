package io.dqlite.sidecar.raftlog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the last raft index a running node has on disk from its data directory ({@link
 * RaftLogFiles}, {@link SegmentScan}), for {@code GET /cluster}: neither libdqlite 1.11.1 nor
 * 1.18.1 tells a running node's position. Open segments are read incrementally: their whole batches
 * never change, so each read resumes where the last one ended. Thread-safe.
 *
 * <p>They are read a window at a time into one reused buffer. libraft allocates an open segment at
 * its full 8 MiB, so "from the last whole batch to the end of the file" is nearly 8 MiB of zeros on
 * every read; reading that into a fresh array for each {@code GET /cluster} grew a sidecar's heap
 * and page cache by some 30 MiB (the kubelet's working set went from 60 to 95 MiB).
 */
public final class RaftLogReader {

  private static final int ATTEMPTS = 3;

  /** How much of an open segment one read looks at, unless a batch is larger. */
  static final int WINDOW = 256 * 1024;

  private final Path dir;
  private final int window;
  private final Map<String, SegmentScan> scanned = new HashMap<>();
  private ByteBuffer buffer;

  public RaftLogReader(Path dir) {
    this(dir, WINDOW);
  }

  /** A reader with another window, for tests. */
  RaftLogReader(Path dir, int window) {
    this.dir = dir;
    this.window = window;
    this.buffer = ByteBuffer.allocate(window);
  }

  /**
   * The last index on disk, a lower bound.
   *
   * @throws IOException naming the directory when it cannot be read (a segment renamed while it was
   *     read is retried: libraft closes segments as it goes)
   */
  public synchronized long lastIndex() throws IOException {
    NoSuchFileException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        return readOnce();
      } catch (NoSuchFileException e) {
        last = e;
      }
    }
    throw new IOException(
        "raft log in " + dir + ": files kept disappearing while read: " + last.getMessage(), last);
  }

  private long readOnce() throws IOException {
    List<String> names;
    try (Stream<Path> files = Files.list(dir)) {
      names = files.map(p -> p.getFileName().toString()).toList();
    }
    RaftLogFiles.Listing listing = RaftLogFiles.list(names);
    scanned.keySet().retainAll(listing.open());
    for (String name : listing.open()) {
      SegmentScan scan = scan(name, scanned.get(name));
      scanned.put(name, scan);
      if (scan.torn()) {
        break;
      }
    }
    return RaftLogFiles.lastIndex(listing, scanned);
  }

  /**
   * Scans a segment from where the last scan stopped, a window at a time. A window that ends before
   * the file may cut a batch, so a batch cut short is final only once the window reaches the end of
   * the file; before that the next window starts at the last whole batch, twice as large when no
   * whole batch fitted. Any other stop is final: a checksum that does not match, or zeros up to the
   * window's end (the written part ended there).
   */
  private SegmentScan scan(String name, SegmentScan before) throws IOException {
    long from = before == null ? 0 : before.offset();
    long entries = before == null ? 0 : before.entries();
    try (FileChannel ch = FileChannel.open(dir.resolve(name), StandardOpenOption.READ)) {
      long size = ch.size();
      if (size <= from) {
        return before == null ? new SegmentScan(0, 0, "empty", false) : before;
      }
      if (from == 0 && formatWord(ch) == 0) {
        return new SegmentScan(0, 0, "never written (format 0)", false); // prepared in advance
      }
      int length = window;
      while (true) {
        long left = size - from;
        boolean toTheEnd = left <= length;
        ByteBuffer content = read(ch, from, toTheEnd ? (int) left : length);
        SegmentScan s = SegmentScan.scan(content, from);
        entries += s.entries();
        boolean progressed = s.offset() > from;
        from = s.offset();
        boolean windowEnded =
            s.stop().equals(SegmentScan.END_OF_FILE) || SegmentScan.cutShort(s.stop());
        if (toTheEnd || !windowEnded) {
          return new SegmentScan(from, entries, s.stop(), s.torn());
        }
        if (!progressed) {
          length = (int) Math.min(2L * length, size - from); // a batch larger than the window
        }
      }
    }
  }

  /** The read buffer's size: the window, or the largest batch met; for tests. */
  synchronized int bufferCapacity() {
    return buffer.capacity();
  }

  /** {@code length} bytes of {@code ch} from {@code position}, in the reused buffer. */
  private ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
    if (buffer.capacity() < length) {
      buffer = ByteBuffer.allocate(length);
    }
    buffer.clear().limit(length);
    while (buffer.hasRemaining() && ch.read(buffer, position + buffer.position()) >= 0) {
      // a short read: go on until the window is full or the file ends
    }
    buffer.flip();
    return buffer;
  }

  private static long formatWord(FileChannel ch) throws IOException {
    ByteBuffer word = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    while (word.hasRemaining() && ch.read(word, word.position()) >= 0) {
      // a short read
    }
    return word.position() < 8 ? 0 : word.getLong(0);
  }
}
