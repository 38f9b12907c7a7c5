package io.dqlite.sidecar.raftlog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How many whole entries an open segment of libraft's log holds, read the way libraft loads it
 * (raft src/uv_segment.c, the same in dqlite 1.18's vendored raft). Pure.
 *
 * <p>The layout: a format version (uint64, 1; 0 for a segment allocated but never written), then
 * batches. A batch is two CRC-32 words (of its header, of its data), the number of entries n
 * (uint64), n entry headers of 16 bytes (term uint64, type uint8, 3 unused, size uint32), and the
 * entries' data, each a multiple of 8 bytes. Everything is little endian. Space never written is
 * zeros.
 *
 * <p>Conservative: the count stops at the first batch that is not whole and intact (zero entries,
 * an implausible count or size, a checksum that does not match, the file ending inside it), which
 * is where libraft itself truncates a torn tail. A batch being written while it is read is counted
 * at the next read.
 *
 * @param offset where the whole batches end (the next read resumes there)
 * @param entries the entries in the whole batches from where the scan began
 * @param stop why the scan stopped, for logs ({@code end of file} when nothing was left)
 * @param torn whether it stopped on something other than the end of the file or written zeros: the
 *     segments after this one must not be counted
 */
public record SegmentScan(long offset, long entries, String stop, boolean torn) {

  /** libraft's disk format version. */
  static final long FORMAT = 1;

  /** libraft's largest segment (UV__MAX_SEGMENT_SIZE), which bounds a batch's entry count. */
  static final long MAX_SEGMENT_SIZE = 8L * 1024 * 1024;

  private static final int PREAMBLE = 16; // two checksums and the entry count

  /** The stop of a scan that ended exactly where its bytes did, after a whole batch. */
  static final String END_OF_FILE = "end of file";

  private static final String CUT = " cut at byte ";

  /**
   * Whether a scan stopped because its bytes ended inside a batch: final for a whole file, but for
   * a window of one ({@link RaftLogReader}) the batch may go on past it.
   */
  static boolean cutShort(String stop) {
    return stop.contains(CUT);
  }

  /**
   * Scans {@code content}, the bytes of a segment from file offset {@code from}: from 0 the format
   * word comes first; from any other offset (a previous scan's {@link #offset}) a batch.
   */
  public static SegmentScan scan(ByteBuffer content, long from) {
    ByteBuffer b = content.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    long offset = from;
    if (from == 0) {
      if (b.remaining() < 8) {
        return new SegmentScan(0, 0, "no format version yet", false);
      }
      long format = b.getLong();
      if (format == 0) {
        return new SegmentScan(0, 0, "never written (format 0)", false);
      }
      if (format != FORMAT) {
        return new SegmentScan(0, 0, "unknown format version " + format, true);
      }
      offset = 8;
    }
    long entries = 0;
    while (true) {
      int start = b.position();
      if (b.remaining() == 0) {
        return new SegmentScan(offset, entries, END_OF_FILE, false);
      }
      if (b.remaining() < PREAMBLE) {
        return stop(b, start, offset, entries, "batch preamble" + CUT + offset);
      }
      int headerCrc = b.getInt();
      int dataCrc = b.getInt();
      long n = b.getLong();
      if (n == 0) {
        return stop(b, start, offset, entries, "no batch at byte " + offset);
      }
      if (n < 0 || n > MAX_SEGMENT_SIZE / 32) {
        return stop(b, start, offset, entries, "implausible entry count " + n + " at " + offset);
      }
      int headerLength = 8 + 16 * (int) n;
      if (b.remaining() < headerLength - 8) {
        return stop(b, start, offset, entries, "batch header" + CUT + offset);
      }
      byte[] header = new byte[headerLength];
      b.position(start + 8);
      b.get(header);
      if (RaftCrc32.update(0, header, 0, headerLength) != headerCrc) {
        return stop(b, start, offset, entries, "header checksum mismatch at byte " + offset);
      }
      ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
      long dataLength = 0;
      for (int i = 0; i < n; i++) {
        long size = Integer.toUnsignedLong(h.getInt(8 + 16 * i + 12));
        if (size % 8 != 0) {
          return stop(b, start, offset, entries, "entry size " + size + " not 8-aligned");
        }
        dataLength += size;
      }
      if (dataLength > b.remaining()) {
        return stop(b, start, offset, entries, "batch data" + CUT + offset);
      }
      int crc = 0;
      if (b.hasArray()) {
        crc = RaftCrc32.update(0, b.array(), b.arrayOffset() + b.position(), (int) dataLength);
        b.position(b.position() + (int) dataLength);
      } else {
        byte[] chunk = new byte[(int) Math.min(dataLength, 64 * 1024)];
        long left = dataLength;
        while (left > 0) {
          int k = (int) Math.min(left, chunk.length);
          b.get(chunk, 0, k);
          crc = RaftCrc32.update(crc, chunk, 0, k);
          left -= k;
        }
      }
      if (crc != dataCrc) {
        return stop(b, start, offset, entries, "data checksum mismatch at byte " + offset);
      }
      entries += n;
      offset += b.position() - start;
    }
  }

  /** Stopped inside a batch: a torn write unless the rest is zeros (allocated, never written). */
  private static SegmentScan stop(ByteBuffer b, int start, long offset, long entries, String why) {
    boolean zeros = true;
    for (int i = start; i < b.limit() && zeros; i++) {
      zeros = b.get(i) == 0;
    }
    return new SegmentScan(offset, entries, zeros ? "end of the written part" : why, !zeros);
  }
}
