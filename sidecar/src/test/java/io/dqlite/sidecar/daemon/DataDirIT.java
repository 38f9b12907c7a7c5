package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real sidecar refuses a data directory that holds raft data without info.yaml, and says which
 * directory and what to do, whether cluster.yaml is still there (the App would refuse too, less
 * clearly) or not (the App alone would start a new node over the old raft log); with the directory
 * emptied it starts as a new node.
 */
class DataDirIT {

  private Path base;

  @AfterEach
  void clean() throws IOException {
    if (base != null && !Boolean.getBoolean("dqlite.it.keep")) {
      try (Stream<Path> paths = Files.walk(base)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void raftDataWithoutInfoYamlIsRefusedWithTheWayOut() throws Exception {
    Path root = Path.of("target", "sidecar-it").toAbsolutePath();
    Files.createDirectories(root);
    base = Files.createTempDirectory(root, "datadir-");
    String socket =
        "@dqlite-it-datadir-"
            + ProcessHandle.current().pid()
            + "-"
            + ThreadLocalRandom.current().nextInt(100_000);
    try (SidecarProcess node = new SidecarProcess("127.0.0.2", base, socket, List.of())) {
      node.start(List.of());
      await("a bootstrapped, ready node")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .untilAsserted(
              () -> {
                assertThat(node.isAlive()).as(node.logTail(30)).isTrue();
                assertThat(node.get("/readyz").status()).isEqualTo(200);
              });
      assertThat(node.terminate(Duration.ofSeconds(60))).as(node.logTail(30)).isNotEqualTo(-1);
      assertThat(DataDir.raftFiles(list(node.dir()))).as("raft files after a run").isNotEmpty();

      Files.delete(node.dir().resolve("info.yaml"));
      node.start(List.of());
      await("the refusal").atMost(Duration.ofSeconds(60)).until(() -> !node.isAlive());
      assertThat(node.process().exitValue()).isEqualTo(1);
      assertThat(node.logText())
          .contains("cannot start: data directory " + node.dir())
          .contains("no info.yaml")
          .contains("Restore info.yaml")
          .contains("empty the directory");
      assertThat(node.dir().resolve("info.yaml")).as("nothing written").doesNotExist();

      // Without cluster.yaml either, the App alone would start a new node over the old log.
      Files.delete(node.dir().resolve("cluster.yaml"));
      Files.writeString(node.log(), "");
      node.start(List.of());
      await("the refusal without cluster.yaml")
          .atMost(Duration.ofSeconds(60))
          .until(() -> !node.isAlive());
      assertThat(node.process().exitValue()).as(node.logTail(20)).isEqualTo(1);
      assertThat(node.logText()).contains("cannot start: data directory " + node.dir());
      assertThat(node.dir().resolve("info.yaml")).as("nothing written").doesNotExist();

      // Emptied, it starts again: a new node (bootstraps here, having no --join).
      try (Stream<Path> files = Files.list(node.dir())) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      node.start(List.of());
      await("a new node")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .untilAsserted(() -> assertThat(node.get("/readyz").status()).isEqualTo(200));
    }
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
