package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SidecarOptionsTest {

  @Test
  void defaults() {
    SidecarOptions o = SidecarOptions.builder().address("db-0:9001").build();
    assertThat(o.dir()).isEqualTo(Path.of("/var/lib/dqlite"));
    assertThat(o.voters()).isEqualTo(3);
    assertThat(o.standBys()).isEqualTo(3);
    assertThat(o.appSocket()).isEqualTo("@dqlite");
    assertThat(o.adminAddress()).isEqualTo("0.0.0.0:8081");
    assertThat(o.zoneLabel()).isEqualTo("topology.kubernetes.io/zone");
    assertThat(o.podLabelsFile()).isEqualTo(Path.of("/etc/podinfo/labels"));
    assertThat(o.rolesAdjustmentFrequency()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.handoverTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.statusInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.networkLatency()).isZero();
    assertThat(o.snapshotThreshold()).isEqualTo(384);
    assertThat(o.snapshotTrailing()).isEqualTo(384);
    assertThat(o.failureDomain()).isEmpty();
    assertThat(o.zone()).isEmpty();
    assertThat(o.tls()).isEmpty();
    assertThat(o.logFormat()).isEqualTo(SidecarOptions.LogFormat.PLAIN);
  }

  @Test
  void defaultAddressIsThePodsStableDnsName() {
    Map<String, String> env =
        Map.of("POD_NAME", "db-1", "DQLITE_SERVICE", "db", "POD_NAMESPACE", "prod");
    assertThat(SidecarOptions.defaultAddress(env)).contains("db-1.db.prod.svc.cluster.local:9001");
    Map<String, String> custom =
        Map.of(
            "POD_NAME",
            "db-1",
            "DQLITE_SERVICE",
            "db",
            "POD_NAMESPACE",
            "prod",
            "DQLITE_CLUSTER_DOMAIN",
            "k8s.example");
    assertThat(SidecarOptions.defaultAddress(custom)).contains("db-1.db.prod.svc.k8s.example:9001");
    assertThat(SidecarOptions.defaultAddress(Map.of("POD_NAME", "db-1"))).isEmpty();
  }

  /** A restart needs only --dir: the address comes from info.yaml, as in go-dqlite's app.New. */
  @Test
  void theAddressComesFromInfoYamlOnARestart(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("info.yaml"), "Address: db-0:9001\nID: 3297041220608546238\nRole: 0\n");

    assertThat(SidecarOptions.builder().dir(dir).build().address()).isEqualTo("db-0:9001");
    assertThat(SidecarOptions.builder().dir(dir).address("db-0:9001").build().address())
        .isEqualTo("db-0:9001");
    assertThatThrownBy(() -> SidecarOptions.builder().dir(dir).address("db-9:9001").build())
        .hasMessageContaining("--address db-9:9001")
        .hasMessageContaining("db-0:9001")
        .hasMessageContaining(dir.resolve("info.yaml").toString());
  }

  @Test
  void anUnreadableInfoYamlIsABadDirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("info.yaml"), "- not: [a mapping\n");
    assertThatThrownBy(() -> SidecarOptions.builder().dir(dir).build())
        .hasMessageStartingWith("--dir " + dir)
        .hasMessageContaining("info.yaml");
  }

  @Test
  void aNewDirectoryStillNeedsAnAddress(@TempDir Path dir) {
    assertThatThrownBy(() -> SidecarOptions.builder().dir(dir).build())
        .hasMessageContaining("--address")
        .hasMessageContaining("info.yaml");
  }

  @Test
  void errorsNameTheFlagAndTheFix() {
    assertThatThrownBy(() -> SidecarOptions.builder().build())
        .hasMessageContaining("--address")
        .hasMessageContaining("POD_NAME");
    assertThatThrownBy(() -> SidecarOptions.builder().address("x:1").voters(4).build())
        .hasMessageContaining("--voters 4");
    assertThatThrownBy(() -> SidecarOptions.builder().address("x").build())
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> SidecarOptions.builder().address("x:1").appSocket("dqlite").build())
        .hasMessageContaining("--app-socket");
    assertThatThrownBy(
            () -> SidecarOptions.builder().address("x:1").handoverTimeout(Duration.ZERO).build())
        .hasMessageContaining("--handover-timeout");
    assertThatThrownBy(() -> SidecarOptions.builder().address("x:1").failureDomain(-1L).build())
        .hasMessageContaining("--failure-domain");
  }

  // threshold, trailing, accepted. libdqlite refuses trailing < threshold; a threshold of 0 with
  // trailing entries would snapshot after every entry (measured: 31 instead of 99 writes/s).
  @ParameterizedTest
  @CsvSource({
    "512, 512, true",
    "512, 8192, true",
    "1, 1, true",
    "0, 0, true",
    "1024, 512, false",
    "0, 512, false",
    "512, 0, false",
    "-1, 512, false",
    "512, -1, false",
  })
  void snapshotParams(int threshold, int trailing, boolean accepted) {
    SidecarOptions.Builder b =
        SidecarOptions.builder()
            .address("x:1")
            .snapshotThreshold(threshold)
            .snapshotTrailing(trailing);
    if (accepted) {
      SidecarOptions o = b.build();
      assertThat(o.snapshotThreshold()).isEqualTo(threshold);
      assertThat(o.snapshotTrailing()).isEqualTo(trailing);
    } else {
      assertThatThrownBy(b::build)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--snapshot-threshold " + threshold)
          .hasMessageContaining("--snapshot-trailing " + trailing);
    }
  }

  @ParameterizedTest(name = "threshold {0}, trailing {1} -> {2} + {3}")
  @CsvSource(
      nullValues = "-",
      value = {
        "-, -, 384, 384",
        "1024, -, 1024, 1024",
        "100, -, 100, 384",
        "0, -, 0, 0",
        "-, 2048, 384, 2048",
        "-, 256, 256, 256",
        "-, 0, 0, 0"
      })
  void anUnsetSnapshotValueFollowsTheOneGiven(
      Integer threshold, Integer trailing, int wantThreshold, int wantTrailing) {
    SidecarOptions.Builder b = SidecarOptions.builder().address("x:1");
    if (threshold != null) {
      b.snapshotThreshold(threshold);
    }
    if (trailing != null) {
      b.snapshotTrailing(trailing);
    }
    SidecarOptions o = b.build();
    assertThat(o.snapshotThreshold()).isEqualTo(wantThreshold);
    assertThat(o.snapshotTrailing()).isEqualTo(wantTrailing);
  }
}
