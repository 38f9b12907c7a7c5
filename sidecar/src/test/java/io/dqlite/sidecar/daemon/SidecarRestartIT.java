package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A sidecar restarted with only {@code --dir}: its address comes from the info.yaml its first start
 * wrote, as go-dqlite's {@code app.New} reads it back; a different {@code --address} is refused
 * with both addresses and the file named.
 */
class SidecarRestartIT {

  private static final String HOST = "127.0.7.17";
  private static final Duration UP = Duration.ofSeconds(60);

  private Path base;
  private SidecarProcess sidecar;

  @AfterEach
  void cleanUp() throws Exception {
    if (sidecar != null) {
      sidecar.kill();
      System.out.println("---- " + sidecar + "\n" + sidecar.logTail(40));
    }
    if (base != null) {
      try (Stream<Path> paths = Files.walk(base)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void restartsWithOnlyTheDirectory_andRefusesAnotherAddress() throws Exception {
    Path root = Path.of("target", "sidecar-it").toAbsolutePath();
    Files.createDirectories(root);
    base = Files.createTempDirectory(root, "restart-");
    String socket =
        "@dqlite-restart-"
            + ProcessHandle.current().pid()
            + "-"
            + ThreadLocalRandom.current().nextInt(100_000);
    sidecar = new SidecarProcess(HOST, base, socket, List.of());

    sidecar.start(List.of());
    awaitReadyAt(sidecar.address());
    assertThat(sidecar.terminate(Duration.ofSeconds(60)))
        .as("exited after SIGTERM")
        .isNotEqualTo(-1);

    sidecar.start(List.of(), null);
    awaitReadyAt(sidecar.address());
    assertThat(sidecar.logText()).doesNotContain("no address");
    assertThat(sidecar.terminate(Duration.ofSeconds(60)))
        .as("exited after SIGTERM")
        .isNotEqualTo(-1);

    String other = HOST + ":" + SidecarProcess.freePort(HOST);
    sidecar.start(List.of(), other);
    assertThat(sidecar.process().waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
    assertThat(sidecar.process().exitValue()).as("bad flags").isEqualTo(2);
    assertThat(sidecar.logText())
        .contains("--address " + other)
        .contains("the address " + sidecar.address())
        .contains("info.yaml");
  }

  /** Ready, and the cluster lists this node at {@code address}. */
  private void awaitReadyAt(String address) {
    await("ready at " + address)
        .atMost(UP)
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> {
              assertThat(sidecar.isAlive()).as("alive\n" + sidecar.logTail(30)).isTrue();
              assertThat(sidecar.get("/readyz").status()).isEqualTo(200);
              assertThat(sidecar.get("/cluster").body()).contains(address);
            });
  }
}
