package io.dqlite.localkube.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The agent fills lastState.terminated.message as a kubelet does for FallbackToLogsOnError. */
class TerminationMessageTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "policy {0}, exit {1}: message {2}")
  @CsvSource({
    "FallbackToLogsOnError, 1, true",
    "FallbackToLogsOnError, 0, false",
    "File, 1, false",
    ", 1, false",
  })
  void onlyAFailedExitUnderFallbackToLogsOnErrorTakesTheLogTail(
      String policy, int exit, boolean expected) throws Exception {
    Path log = dir.resolve("0.log");
    Files.writeString(log, "starting\ncannot start: exports no dqlite_node_enable_disk_mode\n");
    String message = ContainerRunner.terminationMessage(policy, exit, log);
    if (expected) {
      assertThat(message)
          .isEqualTo("starting\ncannot start: exports no dqlite_node_enable_disk_mode");
    } else {
      assertThat(message).isNull();
    }
  }

  @Test
  void theTailIsBoundedTo80LinesAnd2048BytesAndKeepsTheLastLine() throws Exception {
    Path log = dir.resolve("1.log");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      lines.add("line " + i + " " + "x".repeat(i < 190 ? 5 : 300));
    }
    Files.write(log, lines);
    String message = ContainerRunner.terminationMessage("FallbackToLogsOnError", 2, log);
    assertThat(message.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(ContainerRunner.MESSAGE_MAX_BYTES);
    assertThat(message).endsWith(lines.get(199));
    Files.write(log, lines.subList(0, 150).stream().map(l -> l.substring(0, 8)).toList());
    String short80 = ContainerRunner.terminationMessage("FallbackToLogsOnError", 2, log);
    assertThat(short80.split("\n")).hasSize(ContainerRunner.MESSAGE_MAX_LINES);
  }

  @Test
  void aMissingLogGivesNoMessage() {
    assertThat(
            ContainerRunner.terminationMessage(
                "FallbackToLogsOnError", 1, dir.resolve("missing.log")))
        .isNull();
  }
}
