package io.dqlite.bench.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SidecarReportTest {

  private static Line.Run run(String cluster, String path, int workers, long writes) {
    return new Line.Run(
        cluster, path, workers, 10.0, writes, 0, 1, 1.5, 1.4, 3.0, 9.0, "2.50", "-");
  }

  private static Line.Rss rss(String cluster, String path, String node, long steady, long peak) {
    return new Line.Rss(cluster, path, 1, node, 42, 80 * 1024, steady * 1024, peak * 1024, 1900);
  }

  private static String markdown(Line... lines) {
    return new SidecarReport(List.of(lines))
        .markdown(new SidecarReport.Meta("d", "abc", "m", "1", "2", "make bench-sidecar", ""));
  }

  @Test
  void linesSurviveTheirTsv() {
    Line r = run("sidecar", "socket-leader", 4, 1234);
    Line m = rss("dqlite-demo", "tcp-leader", "leader", 90, 95);
    assertThat(Line.parse(r.toTsv())).isEqualTo(r);
    assertThat(Line.parse(m.toTsv())).isEqualTo(m);
    assertThatThrownBy(() -> Line.parse("run\tx")).hasMessageContaining("14 fields");
    assertThatThrownBy(() -> Line.parse("rss\tx")).hasMessageContaining("10 fields");
  }

  @Test
  void ratiosAreSocketOverDirectOnTheSidecarClusterAndVerdictsFollow() {
    String md =
        markdown(
            run("sidecar", "socket-non-leader", 1, 9_500),
            run("sidecar", "socket-leader", 1, 8_000),
            run("sidecar", "tcp-leader", 1, 10_000),
            run("dqlite-demo", "tcp-leader", 1, 11_000),
            rss("sidecar", "socket-non-leader", "leader", 90, 99),
            rss("sidecar", "socket-non-leader", "follower-a", 85, 88),
            rss("dqlite-demo", "tcp-leader", "leader", 120, 130));
    assertThat(md)
        .contains("| transaction | 1 | sidecar | app socket of a non-leader sidecar | 950 |")
        .contains("| 95.0 % |")
        .contains("| 80.0 % |")
        .contains(
            "≥ 90 % of direct, transaction writes: **not met** (socket-non-leader 1w 95.0 %,"
                + " socket-leader 1w 80.0 %)")
        .doesNotContain("auto-commit")
        .contains("| sidecar | 80 / 90 / 99 | 80 / 85 / 88 | - / - / - | -30 |")
        .contains("| dqlite-demo | 80 / 120 / 130 | - / - / - | - / - / - | - |")
        .contains("≤ 96 MiB under the steady write load: **met** (highest steady 90 MiB: leader")
        .contains(
            "dqlite-demo's highest steady under the same load 120 MiB, so the sidecar's own"
                + " share is -30 MiB")
        // 1900 ms of CPU over 9500 writes: 200 µs per write
        .contains(
            "| sidecar | socket-non-leader | 1 | 90 / 99 | 85 / 88 | - | 200 | 200 | - | - |");
  }

  @Test
  void eachWorkloadIsComparedWithItsOwnDirectRun() {
    String md =
        markdown(
            run("sidecar", "socket-non-leader", 1, 8_000),
            run("sidecar", "tcp-leader", 1, 10_000),
            run("sidecar", "autocommit:socket-non-leader", 1, 19_000),
            run("sidecar", "autocommit:tcp-leader", 1, 20_000),
            run("dqlite-demo", "autocommit:tcp-leader", 1, 21_000));
    assertThat(md)
        .contains("| auto-commit | 1 | sidecar | app socket of a non-leader sidecar | 1900 |")
        .contains("| auto-commit | 1 | sidecar | TCP straight to the leader (direct) | 2000 |")
        .contains("| auto-commit | 1 | dqlite-demo | TCP straight to the leader (direct) | 2100 |")
        .contains("≥ 90 % of direct, transaction writes: **not met** (socket-non-leader 1w 80.0 %)")
        .contains("≥ 90 % of direct, auto-commit writes: **met** (socket-non-leader 1w 95.0 %)");
    assertThat(md.indexOf("| transaction | 1 | sidecar | TCP"))
        .isLessThan(md.indexOf("| auto-commit | 1 | sidecar | app socket"));
  }

  private static Line.Run timed(String cluster, String path, int workers, double p99) {
    return new Line.Run(
        cluster, path, workers, 10.0, 5_000, 0, 0, 8.0, 6.0, p99, 400.0, "2.50", "-");
  }

  /**
   * Several engines in one run: each sidecar cluster against its own direct path, its p99 against
   * dqlite-demo's on the same libdqlite (disk mode included), its memory on its own line.
   */
  @Test
  void eachEngineIsComparedWithItsOwnDirectPathAndItsOwnDqliteDemo() {
    String md =
        markdown(
            timed("sidecar", "socket-non-leader", 4, 50.0),
            timed("sidecar", "tcp-leader", 4, 45.0),
            timed("dqlite-demo", "tcp-leader", 4, 29.0),
            timed("sidecar-1.18", "socket-non-leader", 4, 20.0),
            timed("sidecar-1.18", "tcp-leader", 4, 19.0),
            timed("dqlite-demo-1.18", "tcp-leader", 4, 25.0),
            timed("sidecar-1.18-disk", "socket-non-leader", 4, 30.0),
            timed("sidecar-1.18-disk", "tcp-leader", 4, 28.0),
            rss("sidecar-1.18", "socket-non-leader", "leader", 94, 96),
            rss("dqlite-demo-1.18", "tcp-leader", "leader", 100, 110),
            rss("sidecar-1.18-disk", "socket-non-leader", "leader", 70, 75));
    assertThat(SidecarReport.demoFor("sidecar-1.18-disk")).isEqualTo("dqlite-demo-1.18");
    assertThat(SidecarReport.demoFor("sidecar")).isEqualTo("dqlite-demo");
    assertThat(md)
        .contains("| transaction | 4 | sidecar-1.18 | app socket of a non-leader sidecar | 500 |")
        .contains(
            "- Sidecar p99 (app socket of a non-leader) ≤ dqlite-demo's (TCP to its leader)"
                + " (sidecar): **not met** (transaction 4w 50.0 vs 29.0 ms (1.72×))")
        .contains(
            "≤ dqlite-demo-1.18's (TCP to its leader) (sidecar-1.18): **met** (transaction 4w"
                + " 20.0 vs 25.0 ms (0.80×))")
        .contains(
            "≤ dqlite-demo-1.18's (TCP to its leader) (sidecar-1.18-disk): **not met**"
                + " (transaction 4w 30.0 vs 25.0 ms (1.20×))")
        .contains("| sidecar-1.18 | 80 / 94 / 96 | - / - / - | - / - / - | -6 |")
        .contains("| sidecar-1.18-disk | 80 / 70 / 75 | - / - / - | - / - / - | -30 |")
        .contains(
            "≤ 96 MiB under the steady write load (sidecar-1.18): **met** (highest steady 94 MiB")
        .contains("dqlite-demo-1.18's highest steady under the same load 100 MiB");
    // socket and direct runs have the same writes, so every ratio is 100 %.
    assertThat(md).contains("≥ 90 % of direct (sidecar-1.18-disk), transaction writes: **met**");
  }

  @Test
  void pacedRunsAreTheMemoryVerdictAndStayOutOfTheThroughputTable() {
    String md =
        markdown(
            run("sidecar", "steady:socket-non-leader", 1, 1_000),
            rss("sidecar", "steady:socket-non-leader", "leader", 95, 97),
            run("dqlite-demo", "steady:tcp-leader", 1, 1_000),
            rss("dqlite-demo", "steady:tcp-leader", "leader", 40, 45),
            run("sidecar", "tcp-leader", 1, 10_000),
            rss("sidecar", "tcp-leader", "leader", 200, 220));
    assertThat(md)
        .contains(
            "each cluster fresh (sidecar through socket-non-leader: 100 writes/s for 10 s;"
                + " dqlite-demo through tcp-leader: 100 writes/s for 10 s)")
        .contains("| sidecar | 80 / 95 / 97 | - / - / - | - / - / - | 55 |")
        .contains("**met** (highest steady 95 MiB: leader, steady:socket-non-leader")
        .contains("own share is 55 MiB")
        .doesNotContain("| 1 | sidecar | steady:")
        .contains("| 1 | sidecar | TCP straight to the leader (direct) | 1000 |");
  }

  @Test
  void rewritesOnlyBetweenTheMarkers() {
    String doc =
        "# B\n\n## Sidecar\n\n"
            + SidecarReport.BEGIN
            + ": written by x -->\nold\n"
            + SidecarReport.END
            + "\n\n## Next\n";
    String out = SidecarReport.rewrite(doc, "new\n");
    assertThat(out)
        .contains("written by x -->\nnew\n" + SidecarReport.END + "\n\n## Next\n")
        .doesNotContain("old");
    assertThatThrownBy(() -> SidecarReport.rewrite("# B\n", "x")).hasMessageContaining("markers");
  }
}
