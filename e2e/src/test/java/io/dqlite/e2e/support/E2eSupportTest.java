package io.dqlite.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class E2eSupportTest {

  @Test
  void namespaceNamesAreDnsLabels() {
    String name =
        E2eExtension.namespaceName(
            "ScaleE2E", "scaleThreeToFiveAndBackUnderWritesWithAVeryLongMethodNameIndeed");
    assertThat(name)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        .hasSizeLessThanOrEqualTo(63)
        .startsWith("e2e-scale-scale-three-to-five");
  }

  @Test
  void appSocketPathIsTheAgentsEmptyDirOfThePod() {
    assertThat(LocalPaths.appSocket(Path.of("/var/tmp/dqe/1/agent"), "uid-1"))
        .isEqualTo(Path.of("/var/tmp/dqe/1/agent/pods/uid-1/volumes/dqlite-socket/dqlite.sock"));
  }

  @Test
  void socketPathsFitOnlyUnderShortRoots() {
    assertThat(LocalPaths.socketPathsFit(Path.of("/var/tmp/dqe/99/agent"))).isTrue();
    assertThat(LocalPaths.socketPathsFit(Path.of("/work/main/.local/localkube/agent"))).isFalse();
  }

  @Test
  void measurementsReadAsMillisecondsSecondsOrMinutes() {
    assertThat(Measurements.format(java.time.Duration.ofMillis(20))).isEqualTo("20 ms");
    assertThat(Measurements.format(java.time.Duration.ofMillis(12_140))).isEqualTo("12.1 s");
    assertThat(Measurements.format(java.time.Duration.ofMillis(326_400)))
        .isEqualTo("5 min 26 s (326.4 s)");
  }

  @Test
  void sidecarViewParsesTheClusterEndpoint() throws Exception {
    SidecarView v =
        SidecarView.parse(
            """
        {"self":{"id":"0x1","address":"a-0.a-headless.ns.svc.cluster.local:9001","role":"voter",
         "zone":"zone-a","zoneSource":"flag","failureDomain":7,"ready":true,"leader":true},
         "leader":{"id":"0x1","address":"a-0.a-headless.ns.svc.cluster.local:9001"},
         "members":[{"id":"0x1","address":"a-0","role":"voter","online":true,"failureDomain":7},
                    {"id":"0x2","address":"a-1","role":"stand-by","online":false,
                     "failureDomain":8}],
         "observedAt":"2026-11-25T14:00:00Z"}
        """);
    assertThat(v.selfId()).isEqualTo("0x1");
    assertThat(v.selfZone()).isEqualTo("zone-a");
    assertThat(v.selfFailureDomain()).isEqualTo(7);
    assertThat(v.leaderId()).isEqualTo("0x1");
    assertThat(v.voters()).isEqualTo(1);
    assertThat(v.standBys()).isEqualTo(1);
    assertThat(v.members().get(1).online()).isFalse();
  }
}
