package io.dqlite.sidecar.raftlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SegmentScanTest {

  private static final byte[] TWO_BATCHES = Segments.formatted().batch(8, 16).batch(24).bytes();

  static Stream<Arguments> rows() {
    return Stream.of(
        row("empty file", new byte[0], 0, false),
        row("format 0: allocated, never written", new byte[64], 0, false),
        row("unknown format", unknownFormat(), 0, true),
        row("format only", Segments.formatted().bytes(), 0, false),
        row("one batch of one entry", Segments.formatted().batch(8).bytes(), 1, false),
        row("two batches, three entries", TWO_BATCHES, 3, false),
        row(
            "preallocated zeros after",
            Segments.formatted().batch(8).batch(8, 8).zeros(4096).bytes(),
            3,
            false),
        row("torn: header cut", Arrays.copyOf(TWO_BATCHES, TWO_BATCHES.length - 30), 2, true),
        row("torn: data cut", Arrays.copyOf(TWO_BATCHES, TWO_BATCHES.length - 8), 2, true),
        row("torn: data cut, zeros after", withZeroedTail(TWO_BATCHES, 8), 2, true),
        row("torn: a data byte flipped", flip(TWO_BATCHES, TWO_BATCHES.length - 1), 2, true),
        row("torn: a header byte flipped", flip(TWO_BATCHES, 8 + 8 + 8 + 4), 0, true),
        row(
            "torn: preamble cut",
            Arrays.copyOf(Segments.formatted().batch(8).bytes(), 8 + 10),
            0,
            true),
        row("implausible count", countOf(Long.MAX_VALUE), 0, true));
  }

  private static Arguments row(String name, byte[] bytes, long entries, boolean torn) {
    return Arguments.of(name, bytes, entries, torn);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void countsWholeEntriesOnly(String name, byte[] bytes, long entries, boolean torn) {
    SegmentScan scan = SegmentScan.scan(ByteBuffer.wrap(bytes), 0);
    assertThat(scan.entries()).as(scan.stop()).isEqualTo(entries);
    assertThat(scan.torn()).as(scan.stop()).isEqualTo(torn);
  }

  @org.junit.jupiter.api.Test
  void resumesAtTheOffsetOfTheLastWholeBatch() {
    byte[] first = Segments.formatted().batch(8).bytes();
    SegmentScan a = SegmentScan.scan(ByteBuffer.wrap(first), 0);
    assertThat(a.offset()).isEqualTo(first.length);
    byte[] both = Segments.formatted().batch(8).batch(16, 16).bytes();
    ByteBuffer rest =
        ByteBuffer.wrap(both, (int) a.offset(), both.length - (int) a.offset()).slice();
    SegmentScan b = SegmentScan.scan(rest, a.offset());
    assertThat(b.entries()).isEqualTo(2);
    assertThat(b.offset()).isEqualTo(both.length);
  }

  @org.junit.jupiter.api.Test
  void checksumTableIsLibrafts() {
    // Entries 1, 2, 3 and 255 of byteCrcTable in raft's src/byte.c: a one-byte input from 0 gives
    // the table entry of that byte. (zlib's CRC32 of {1} is 0xA505DF1B.)
    assertThat(RaftCrc32.update(0, new byte[] {1}, 0, 1)).isEqualTo(0x04c11db7);
    assertThat(RaftCrc32.update(0, new byte[] {2}, 0, 1)).isEqualTo(0x09823b6e);
    assertThat(RaftCrc32.update(0, new byte[] {3}, 0, 1)).isEqualTo(0x0d4326d9);
    assertThat(RaftCrc32.update(0, new byte[] {(byte) 255}, 0, 1)).isEqualTo(0xb1f740b4);
  }

  private static byte[] unknownFormat() {
    byte[] b = Segments.formatted().batch(8).bytes();
    b[0] = 2;
    return b;
  }

  private static byte[] flip(byte[] b, int at) {
    byte[] c = b.clone();
    c[at] ^= 0x40;
    return c;
  }

  private static byte[] withZeroedTail(byte[] b, int n) {
    byte[] c = b.clone();
    Arrays.fill(c, c.length - n, c.length, (byte) 0);
    return c;
  }

  private static byte[] countOf(long n) {
    ByteBuffer b = ByteBuffer.allocate(8 + 16 + 64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putLong(1).putInt(0).putInt(0).putLong(n);
    return b.array();
  }
}
