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
 * Real sidecars with {@code --cluster-id} and {@code --cluster-exists}: a cluster bootstraps and a
 * node joins it as before (both record the id); a node with an empty directory told that the
 * cluster exists refuses to bootstrap a second one; a node whose directory holds another cluster's
 * id refuses to start; each refusal names the directory, the ids and the recovery field, and writes
 * nothing.
 */
class ClusterIdentityIT {

  private static final String ID = "7d1c0f0e-1111-4a4a-8b8b-000000000001";
  private static final String OTHER = "7d1c0f0e-2222-4a4a-8b8b-000000000002";

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
  void aClusterKeepsItsIdentityAndRefusesASecondBootstrapAndForeignData() throws Exception {
    Path root = Path.of("target", "sidecar-it").toAbsolutePath();
    Files.createDirectories(root);
    base = Files.createTempDirectory(root, "identity-");
    String prefix =
        "@dqlite-it-identity-"
            + ProcessHandle.current().pid()
            + "-"
            + ThreadLocalRandom.current().nextInt(100_000)
            + "-";
    try (SidecarProcess first = new SidecarProcess("127.0.0.2", base, prefix + "1", List.of());
        SidecarProcess second = new SidecarProcess("127.0.0.3", base, prefix + "2", List.of());
        SidecarProcess lone = new SidecarProcess("127.0.0.4", base, prefix + "3", List.of())) {
      // Normal bootstrap and join, as the operator starts pod 0, then the others.
      first.startWith(List.of(first.address()), List.of("--cluster-id", ID));
      awaitReady(first);
      second.startWith(
          List.of(first.address(), second.address()),
          List.of("--cluster-id", ID, "--cluster-exists", "true"));
      awaitReady(second);
      assertThat(Files.readString(first.dir().resolve(ClusterIdentity.FILE)).strip()).isEqualTo(ID);
      assertThat(Files.readString(second.dir().resolve(ClusterIdentity.FILE)).strip())
          .isEqualTo(ID);

      // An empty directory, told the cluster exists, and no seed but itself: it must not
      // bootstrap a second cluster under the same name.
      lone.startWith(
          List.of(lone.address()), List.of("--cluster-id", ID, "--cluster-exists", "true"));
      await("the bootstrap refusal").atMost(Duration.ofSeconds(60)).until(() -> !lone.isAlive());
      assertThat(lone.process().exitValue()).as(lone.logTail(20)).isEqualTo(1);
      assertThat(lone.logText())
          .contains("cannot start: data directory " + lone.dir())
          .contains("cluster " + ID + " already exists")
          .contains("refusing to bootstrap")
          .contains("docs/operator.md, Recovery");
      assertThat(lone.dir().resolve("info.yaml")).as("no node made").doesNotExist();
      assertThat(lone.dir().resolve(ClusterIdentity.FILE)).as("no id recorded").doesNotExist();

      // The second node's directory belongs to cluster ID: started for another cluster, it
      // refuses, and its data is left as it was.
      assertThat(second.terminate(Duration.ofSeconds(60))).as(second.logTail(30)).isNotEqualTo(-1);
      Files.writeString(second.log(), "");
      second.startWith(List.of(first.address()), List.of("--cluster-id", OTHER));
      await("the foreign refusal").atMost(Duration.ofSeconds(60)).until(() -> !second.isAlive());
      assertThat(second.process().exitValue()).as(second.logTail(20)).isEqualTo(1);
      assertThat(second.logText())
          .contains("cannot start: data directory " + second.dir())
          .contains("belongs to cluster " + ID)
          .contains("started for cluster " + OTHER)
          .contains("spec.recovery.clusterId: " + ID);
      assertThat(Files.readString(second.dir().resolve(ClusterIdentity.FILE)).strip())
          .isEqualTo(ID);

      // With its own id it restarts as the member it was.
      second.startWith(
          List.of(first.address()), List.of("--cluster-id", ID, "--cluster-exists", "true"));
      awaitReady(second);
      assertThat(first.get("/readyz").status()).isEqualTo(200);
    }
  }

  private static void awaitReady(SidecarProcess node) {
    await("node " + node.address() + " ready")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(
            () -> {
              assertThat(node.isAlive()).as(node.logTail(30)).isTrue();
              assertThat(node.get("/readyz").status()).as(node.logTail(10)).isEqualTo(200);
            });
  }
}
