package io.dqlite.sidecar.raftlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reader's windows over an open segment give what one scan of the whole file gives, whatever
 * the window cuts: batches across a window's end, a batch larger than the window, the zeros libraft
 * preallocates, a torn tail. A snapshot at index 100 sets the base, so the index is 100 + entries.
 */
class RaftLogReaderTest {

  @TempDir Path dir;

  static Stream<Arguments> segments() {
    return Stream.of(
        Arguments.of("small batches across many windows", batches(40, 8), 100 + 40),
        Arguments.of(
            "then libraft's preallocated zeros", batches(40, 8).zeros(8 * 1024 * 1024), 140),
        Arguments.of(
            "a batch ten windows long among small ones",
            Segments.formatted().batch(8).batch(8, 2048, 8).batch(16).zeros(4096),
            100 + 5),
        Arguments.of(
            "a torn tail (a batch whose data was never written)",
            withTornTail(batches(3, 8)),
            100 + 3),
        Arguments.of("a batch exactly filling windows", Segments.formatted().batch(40, 40), 102));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("segments")
  void windowsGiveWhatOneWholeScanGives(String name, Segments segment, long expected)
      throws IOException {
    write(segment.bytes());
    SegmentScan whole = SegmentScan.scan(java.nio.ByteBuffer.wrap(segment.bytes()), 0);

    long index = new RaftLogReader(dir, 64).lastIndex();

    assertThat(index).isEqualTo(expected).isEqualTo(100 + whole.entries());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("segments")
  void aSecondReadResumesAndAgrees(String name, Segments segment, long expected)
      throws IOException {
    write(segment.bytes());
    RaftLogReader reader = new RaftLogReader(dir, 64);
    reader.lastIndex();
    assertThat(reader.lastIndex()).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void aPreallocatedSegmentIsNotReadIntoMemoryWhole() throws IOException {
    write(batches(40, 8).zeros(8 * 1024 * 1024).bytes());
    RaftLogReader reader = new RaftLogReader(dir);
    for (int i = 0; i < 3; i++) {
      assertThat(reader.lastIndex()).isEqualTo(140);
    }
    assertThat(reader.bufferCapacity()).isEqualTo(RaftLogReader.WINDOW);
  }

  private static Segments batches(int count, int size) {
    Segments s = Segments.formatted();
    for (int i = 0; i < count; i++) {
      s.batch(size);
    }
    return s;
  }

  /** A batch's preamble and header written, its data not yet: the rest is zeros. */
  private static Segments withTornTail(Segments s) {
    byte[] next = Segments.formatted().batch(64).bytes();
    byte[] headerOnly = java.util.Arrays.copyOfRange(next, 8, 8 + 16 + 16);
    return new Segments().with(s.bytes()).with(headerOnly).zeros(4096);
  }

  private void write(byte[] segment) throws IOException {
    Files.write(dir.resolve("snapshot-1-100-1"), new byte[] {1});
    Files.write(dir.resolve("snapshot-1-100-1.meta"), new byte[] {1});
    Files.write(dir.resolve("open-1"), segment, StandardOpenOption.CREATE_NEW);
  }
}
