package io.dqlite.sidecar.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.sidecar.fault.ReliabilityTable.Row;
import io.dqlite.sidecar.fault.ReliabilityTable.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReliabilityTableTest {

  private static final Row ROW = new Row("kill -9 of the leader", 332, 332, 0, 0, 1, 5014, 2714);
  private static final Run RUN = new Run("2026-12-06 12:45 UTC", "2 cores", "abc1234", "1.11.1-1");

  @Test
  void rendersTheRunAndOneLinePerFault() {
    assertThat(ReliabilityTable.render(RUN, List.of(ROW)))
        .isEqualTo(
            "Measured 2026-12-06 12:45 UTC on 2 cores, commit `abc1234`, libdqlite 1.11.1-1.\n\n"
                + "| Fault | Acknowledged | Found | Lost | Duplicates | Maybe | Longest gap |"
                + " Recovery |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n"
                + "| kill -9 of the leader | 332 | 332 | 0 | 0 | 1 | 5.0 s | 2.7 s |\n");
  }

  @Test
  void durationsReadAsAPersonWouldWriteThem() {
    assertThat(ReliabilityTable.duration(-1)).isEqualTo("–");
    assertThat(ReliabilityTable.duration(0)).isEqualTo("0 ms");
    assertThat(ReliabilityTable.duration(999)).isEqualTo("999 ms");
    assertThat(ReliabilityTable.duration(1000)).isEqualTo("1.0 s");
    assertThat(ReliabilityTable.duration(9949)).isEqualTo("9.9 s");
    assertThat(ReliabilityTable.duration(32645)).isEqualTo("33 s");
  }

  @Test
  void aRowSurvivesTheResultsFile() {
    assertThat(Row.fromTsv(ROW.toTsv())).isEqualTo(ROW);
    assertThatThrownBy(() -> Row.fromTsv("only\tthree\tfields"))
        .hasMessageContaining("8 tab-separated fields");
  }

  @Test
  void replacesOnlyWhatLiesBetweenTheMarkers() {
    String doc =
        "# Title\n\nbefore\n"
            + ReliabilityTable.BEGIN
            + "\nold table\n"
            + ReliabilityTable.END
            + "\nafter\n";

    assertThat(ReliabilityTable.replace(doc, "new table\n"))
        .isEqualTo(
            "# Title\n\nbefore\n"
                + ReliabilityTable.BEGIN
                + "\nnew table\n"
                + ReliabilityTable.END
                + "\nafter\n");
  }

  @Test
  void eachSuiteReplacesOnlyItsOwnSection() {
    String doc =
        ReliabilityTable.BEGIN
            + "\nprocess faults\n"
            + ReliabilityTable.END
            + "\nbetween\n<!-- other:begin -->\ncontrol-plane faults\n<!-- other:end -->\n";

    String other =
        ReliabilityTable.replace(doc, "<!-- other:begin -->", "<!-- other:end -->", "new\n");
    assertThat(other)
        .contains("\nprocess faults\n")
        .contains("<!-- other:begin -->\nnew\n<!-- other:end -->")
        .doesNotContain("control-plane faults");
    assertThat(ReliabilityTable.replace(other, "new process faults\n"))
        .contains(ReliabilityTable.BEGIN + "\nnew process faults\n" + ReliabilityTable.END)
        .contains("<!-- other:begin -->\nnew\n<!-- other:end -->");
  }

  @Test
  void anEndMarkerBeforeItsBeginIsRefused() {
    assertThatThrownBy(
            () ->
                ReliabilityTable.replace(
                    "<!-- b:end -->\n<!-- b:begin -->", "<!-- b:begin -->", "<!-- b:end -->", "x"))
        .hasMessageContaining("<!-- b:begin -->");
  }

  @Test
  void aDocumentWithoutTheMarkersIsRefusedSayingWhichAreMissing() {
    assertThatThrownBy(() -> ReliabilityTable.replace("# no markers\n", "x"))
        .hasMessageContaining(ReliabilityTable.BEGIN);
  }
}
