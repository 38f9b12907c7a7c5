package io.dqlite.operator.dependents;

import static io.dqlite.operator.dependents.TestClusters.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.RaftSpec;
import io.dqlite.sidecar.api.PodVariables;
import io.dqlite.sidecar.api.SidecarSetting;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The sidecar container's environment is what the sidecar reads, with values it accepts. */
class SidecarContainerTest {

  private static DqliteCluster cluster() {
    RaftSpec raft = new RaftSpec();
    raft.setRolesAdjustmentFrequency("10s");
    raft.setNetworkLatency("20ms");
    raft.setSnapshotThreshold(2048L);
    raft.setSnapshotTrailing(4096L);
    return TestClusters.cluster(
        spec -> {
          spec.setVoters(5);
          spec.setRaft(raft);
        });
  }

  @Test
  void everyVariableIsASettingsOrThePodsIdentity() {
    Set<String> known =
        Stream.concat(
                Arrays.stream(SidecarSetting.values()).map(SidecarSetting::env),
                Stream.of(
                    PodVariables.POD_NAME,
                    PodVariables.POD_NAMESPACE,
                    PodVariables.POD_IP,
                    PodVariables.SERVICE))
            .collect(Collectors.toSet());
    List<EnvVar> env = SidecarContainer.env(cluster(), DOMAIN);
    assertThat(env).extracting(EnvVar::getName).allMatch(known::contains);
  }

  /** Each literal value parses and obeys its setting's rule, as the sidecar will check it. */
  @Test
  void everyValueIsOneTheSidecarAccepts() {
    Map<String, SidecarSetting> byEnv =
        Arrays.stream(SidecarSetting.values())
            .collect(Collectors.toMap(SidecarSetting::env, Function.identity()));
    List<EnvVar> env = SidecarContainer.env(cluster(), DOMAIN);
    int checked = 0;
    for (EnvVar e : env) {
      SidecarSetting s = byEnv.get(e.getName());
      if (s == null || e.getValue() == null || e.getValue().contains("$(")) {
        continue; // the pod's identity, a downward-API or ConfigMap value, or kubelet-expanded
      }
      assertThat(s.check(s.parse(e.getValue()))).as(e.getName()).isNotNull();
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(10);
    assertThat(env)
        .filteredOn(e -> e.getName().equals(SidecarSetting.VOTERS.env()))
        .extracting(EnvVar::getValue)
        .containsExactly("5");
  }
}
