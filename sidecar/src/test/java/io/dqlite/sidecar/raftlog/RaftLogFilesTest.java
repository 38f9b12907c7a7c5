package io.dqlite.sidecar.raftlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RaftLogFilesTest {

  private static final String C1 = "0000000000000001-0000000000000010";
  private static final String C2 = "0000000000000011-0000000000000042";

  /** Rows: names, whole entries per open segment (-n: n entries then a torn batch), last index. */
  static Stream<Arguments> rows() {
    return Stream.of(
        row("nothing", List.of("metadata1", "metadata2"), Map.of(), 0),
        row("closed only", List.of(C2, C1, "metadata1"), Map.of(), 42),
        row(
            "open after closed",
            List.of(C1, C2, "open-3", "open-4"),
            Map.of("open-3", 5L, "open-4", 0L),
            47),
        row(
            "open segments in counter order",
            List.of(C1, "open-10", "open-9"),
            Map.of("open-9", 3L, "open-10", 2L),
            15),
        row(
            "nothing after a torn segment",
            List.of(C1, "open-1", "open-2"),
            Map.of("open-1", -3L, "open-2", 4L),
            13),
        row(
            "open only, fresh node",
            List.of("open-1", "open-2"),
            Map.of("open-1", 7L, "open-2", 0L),
            7),
        row(
            "snapshot without closed: open follows it",
            List.of("snapshot-2-1024-99", "snapshot-2-1024-99.meta", "open-5"),
            Map.of("open-5", 3L),
            1027),
        row(
            "snapshot without its meta is ignored",
            List.of("snapshot-2-1024-99", "open-5"),
            Map.of("open-5", 3L),
            3),
        row(
            "newest snapshot ahead of old closed segments",
            List.of(C1, "snapshot-3-500-1", "snapshot-3-500-1.meta"),
            Map.of(),
            500),
        row(
            "open follows the closed even with a snapshot",
            List.of(C2, "snapshot-2-40-1", "snapshot-2-40-1.meta", "open-2"),
            Map.of("open-2", 2L),
            44),
        row(
            "unread open segment ends the count",
            List.of(C1, "open-1", "open-2"),
            Map.of("open-2", 4L),
            10),
        row(
            "other files ignored",
            List.of(C1, "info.yaml", "cluster.yaml", "db.bin", "open-x"),
            Map.of(),
            10));
  }

  private static Arguments row(String name, List<String> names, Map<String, Long> open, long last) {
    return Arguments.of(name, names, open, last);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void lastIndexIsALowerBound(String name, List<String> names, Map<String, Long> open, long last) {
    Map<String, SegmentScan> scans = new HashMap<>();
    open.forEach((file, n) -> scans.put(file, new SegmentScan(0, Math.abs(n), "test", n < 0)));
    assertThat(RaftLogFiles.lastIndex(RaftLogFiles.list(names), scans)).isEqualTo(last);
  }
}
