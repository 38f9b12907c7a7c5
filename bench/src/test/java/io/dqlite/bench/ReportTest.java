package io.dqlite.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static Result result(
      String impl, int workers, double writes, double p99, long errors, long retries) {
    return result(impl, workers, writes, p99, p99, errors, retries);
  }

  /**
   * @param p99UntilSuccess go's p99 had it retried busy writes until success
   */
  private static Result result(
      String impl,
      int workers,
      double writes,
      double p99,
      double p99UntilSuccess,
      long errors,
      long retries) {
    return new Result(
        impl,
        KvWorkload.KVWRITE,
        workers,
        "non-leader",
        20.0,
        (long) (writes * 20),
        0,
        errors,
        retries,
        errors > 0 ? "database is locked" : "-",
        new LatencyStats((long) (writes * 20), 1.5, 1.2, 2.0, p99, 30.0),
        p99UntilSuccess,
        LatencyStats.EMPTY);
  }

  @Test
  void resultLinesRoundTrip() {
    Result r = result("java", 4, 400, 7.25, 0, 123);
    Result back = Result.parseTsv(r.toTsv());
    assertThat(back.toTsv()).isEqualTo(r.toTsv());
    assertThat(back.writesPerSecond()).isEqualTo(400.0);
    assertThat(Result.HEADER.split("\t")).hasSize(21);
  }

  @Test
  void errorMessagesCannotBreakTheLine() {
    Result r =
        new Result(
            "go",
            KvWorkload.KVREADWRITE,
            1,
            "leader",
            1,
            1,
            1,
            1,
            -1,
            "a\tb\nc", //
            LatencyStats.EMPTY,
            0,
            LatencyStats.EMPTY);
    assertThat(Result.parseTsv(r.toTsv()).firstError()).isEqualTo("a b c");
  }

  @Test
  void pairsByConfigurationAndComputesRatios() {
    List<Report.Pair> pairs =
        Report.pair(
            List.of(
                result("go", 1, 400, 4.0, 0, -1),
                result("java", 1, 500, 3.0, 0, 0),
                result("java", 4, 380, 9.0, 0, 50),
                result("go", 4, 200, 6.0, 30_000, -1)));
    assertThat(pairs).hasSize(2);
    Report.Pair one = pairs.get(0);
    assertThat(one.writeRatio()).isEqualTo(1.25);
    assertThat(one.p99Ratio()).isEqualTo(0.75);
    assertThat(one.targetMet()).isTrue();
    Report.Pair four = pairs.get(1);
    assertThat(four.writeRatio()).isEqualTo(1.9);
    assertThat(four.p99Ratio()).isEqualTo(1.5);
    assertThat(four.targetMet()).isFalse(); // p99 worse than go's
    assertThat(four.verdict()).isEqualTo("not met");
  }

  @Test
  void aP99WithinGosRetryingP99IsToldApartFromAMetTarget() {
    Report.Pair p =
        Report.pair(
                List.of(
                    result("go", 4, 200, 6.0, 40.0, 30_000, -1), result("java", 4, 600, 9.0, 0, 0)))
            .get(0);
    assertThat(p.p99Ratio()).isEqualTo(1.5);
    assertThat(p.p99RatioUntilSuccess()).isEqualTo(0.225);
    assertThat(p.targetMet()).isFalse();
    assertThat(p.verdict()).isEqualTo("p99 met vs go retrying");
    assertThat(Report.text(List.of(p))).contains("40.00").contains("0.23");
  }

  @Test
  void errorsWithFourWorkersMissTheTarget() {
    Report.Pair p =
        Report.pair(List.of(result("go", 4, 100, 9.0, 5, -1), result("java", 4, 200, 3.0, 1, 0)))
            .get(0);
    assertThat(p.targetMet()).isFalse();
  }

  @Test
  void aMissingSideHasNoRatio() {
    Report.Pair p = Report.pair(List.of(result("java", 1, 200, 3.0, 0, 0))).get(0);
    assertThat(p.writeRatio()).isNaN();
    assertThat(p.targetMet()).isFalse();
    assertThat(Report.text(List.of(p))).contains("not met");
  }

  @Test
  void markdownReplacesOnlyTheGeneratedSection() {
    List<Report.Pair> pairs =
        Report.pair(List.of(result("go", 1, 400, 4.0, 0, -1), result("java", 1, 500, 3.0, 0, 0)));
    String section =
        Report.markdown(
            pairs,
            new Report.Meta("2026-11-25", "abc123", "2 cores", "1", "2", "make bench", "20 s"));
    String doc = "# Title\n\nintro\n\n" + Report.BEGIN + "\nold\n" + Report.END + "\n\n## Next\n";
    String out = Report.replaceSection(doc, section);
    assertThat(out).startsWith("# Title\n\nintro\n\n" + Report.BEGIN);
    assertThat(out).endsWith(Report.END + "\n\n## Next\n");
    assertThat(out).doesNotContain("\nold\n");
    assertThat(out)
        .contains(
            "| kvwrite | 1 | non-leader | 400 | 500 | 1.25 | 4.00 | 3.00 | 0.75 | 4.00 | 0.75 |");
    assertThat(out).contains("Commit: `abc123`");
    // Idempotent: running it again gives the same document.
    assertThat(Report.replaceSection(out, section)).isEqualTo(out);
  }

  @Test
  void aDocumentWithoutMarkersIsRefused() {
    assertThatThrownBy(() -> Report.replaceSection("# nothing here", "x"))
        .hasMessageContaining(Report.BEGIN);
  }
}
