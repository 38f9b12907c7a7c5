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
 */
public final class RaftLogReader {

  private static final int ATTEMPTS = 3;

  private final Path dir;
  private final Map<String, SegmentScan> scanned = new HashMap<>();

  public RaftLogReader(Path dir) {
    this.dir = dir;
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
      if (size - from > Integer.MAX_VALUE - 8) {
        throw new IOException(dir.resolve(name) + ": open segment of " + size + " bytes");
      }
      ByteBuffer content = ByteBuffer.allocate((int) (size - from));
      while (content.hasRemaining() && ch.read(content, from + content.position()) >= 0) {
        // a short read: go on until the buffer is full or the file ends
      }
      content.flip();
      SegmentScan s = SegmentScan.scan(content, from);
      return new SegmentScan(s.offset(), entries + s.entries(), s.stop(), s.torn());
    }
  }

  private static long formatWord(FileChannel ch) throws IOException {
    ByteBuffer word = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    while (word.hasRemaining() && ch.read(word, word.position()) >= 0) {
      // a short read
    }
    return word.position() < 8 ? 0 : word.getLong(0);
  }
}
