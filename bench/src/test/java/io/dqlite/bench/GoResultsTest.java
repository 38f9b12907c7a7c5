package io.dqlite.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoResultsTest {

  /** The layout of go-dqlite v1.11.5 benchmark/tracker.go's report. */
  private static String report(String measurements, int n, String errors, int nErr) {
    return "n "
        + n
        + "\nn_err "
        + nErr
        + "\navg [ms] 1.000000\nmax [ms] 2.000000\nmin [ms] 0.500000\n"
        + "measurements [timestamp in ns] [ms]\n"
        + measurements
        + "\nerrors\n"
        + errors
        + "\n";
  }

  @Test
  void aWriteRetriedUntilSuccessWaitsFromTheFirstFailureSinceThePreviousSuccess() {
    List<GoResults.Op> successes =
        List.of(
            new GoResults.Op(1_000, 100), // ends 1_100
            new GoResults.Op(5_000, 200), // after failures at 1_200, 3_000: waited from 1_200
            new GoResults.Op(6_000, 50)); // no failure since 5_200: its own time
    // Failure at 900 belongs to the first write; it started before it (at 900).
    List<Long> failures = List.of(3_000L, 1_200L, 900L);

    assertThat(GoResults.untilSuccess(successes, failures))
        .containsExactly(
            new GoResults.Op(1_000, 200),
            new GoResults.Op(5_000, 4_000),
            new GoResults.Op(6_000, 50));
  }

  @Test
  void parsesGoMillisecondFormat() {
    assertThat(GoResults.parseMillis("2.174319")).isEqualTo(2_174_319L);
    assertThat(GoResults.parseMillis("0.000042")).isEqualTo(42L);
    assertThat(GoResults.parseMillis("54.778141")).isEqualTo(54_778_141L);
    assertThat(GoResults.parseMillis("3")).isEqualTo(3_000_000L);
  }

  @Test
  void readsEveryWorkerFileAndSplitsWritesFromReads(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("0-exec-1795614860"),
        report(
            "1000000000 1.000000\n1500000000 3.000000\n", 2, "1200000000 database is locked\n", 1));
    Files.writeString(
        dir.resolve("1-exec-1795614860"),
        report("1100000000 2.000000\n", 1, "1300000000 database is locked\n", 1));
    Files.writeString(dir.resolve("1-query-1795614860"), report("1400000000 0.250000\n", 1, "", 0));
    Files.writeString(dir.resolve("unrelated.txt"), "ignored");

    GoResults.Parsed all = GoResults.parse(dir, 0);
    assertThat(all.writes().size()).isEqualTo(3);
    assertThat(all.reads().size()).isEqualTo(1);
    assertThat(all.errors()).isEqualTo(2);
    assertThat(all.firstError()).isEqualTo("database is locked");
    assertThat(all.writes().stats().maxMs()).isEqualTo(3.0);
    assertThat(all.writes().stats().avgMs()).isEqualTo(2.0);
    assertThat(all.reads().stats().p99Ms()).isEqualTo(0.25);
    // Worker 0's second write (1.5 s, 3 ms) would have waited from its failure at 1.2 s.
    assertThat(all.writesUntilSuccess().stats().maxMs()).isEqualTo(303.0);
  }

  @Test
  void leavesOutOperationsStartedDuringTheWarmUp(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("0-exec-1"),
        report("1000000000 9.000000\n1400000000 8.000000\n1500000000 1.000000\n", 3, "", 0));
    // 0.5 s of warm-up from the first operation (t = 1.0 s): only the one at 1.5 s remains.
    GoResults.Parsed p = GoResults.parse(dir, 500_000_000L);
    assertThat(p.writes().size()).isEqualTo(1);
    assertThat(p.writes().stats().maxMs()).isEqualTo(1.0);
  }

  @Test
  void refusesAFileWhoseCountDisagrees(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("0-exec-1"), report("1 1.000000\n", 2, "", 0));
    assertThatThrownBy(() -> GoResults.parse(dir, 0))
        .hasMessageContaining("declares n 2 but lists 1");
  }

  @Test
  void refusesADirectoryWithoutResults(@TempDir Path dir) {
    assertThatThrownBy(() -> GoResults.parse(dir, 0)).hasMessageContaining("no dqlite-benchmark");
  }
}
