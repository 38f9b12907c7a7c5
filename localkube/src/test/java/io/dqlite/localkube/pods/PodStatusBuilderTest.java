package io.dqlite.localkube.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodStatusBuilderTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");

  @ParameterizedTest(name = "{0} with {1} → {2}")
  @CsvSource({
    "Always,    running,          Running",
    "Always,    waiting,          Pending",
    "Always,    exited0,          Running",
    "Always,    backoff1,         Running",
    "OnFailure, exited0,          Succeeded",
    "OnFailure, exited1,          Running",
    "Never,     exited0,          Succeeded",
    "Never,     exited1,          Failed",
    "Never,     running+exited1,  Running",
    "Never,     exited0+exited1,  Failed",
  })
  void phaseFollowsTheKubeletsRule(String policy, String states, String phase) {
    Pod pod = pod(policy);
    List<ContainerStatus> main =
        java.util.Arrays.stream(states.split("\\+"))
            .map(PodStatusBuilderTest::status)
            .collect(java.util.stream.Collectors.toList());
    assertThat(PodStatusBuilder.phase(pod, List.of(), main)).isEqualTo(phase);
  }

  @Test
  void initContainersGatePhaseAndInitialized() {
    Pod pod = pod("Never");
    assertThat(PodStatusBuilder.phase(pod, List.of(status("running")), List.of(status("waiting"))))
        .isEqualTo("Pending");
    assertThat(PodStatusBuilder.phase(pod, List.of(status("exited1")), List.of(status("waiting"))))
        .isEqualTo("Failed");
    PodStatus s = build(pod, List.of(status("exited0")), List.of(status("running")));
    assertThat(condition(s, "Initialized").getStatus()).isEqualTo("True");
  }

  @Test
  void readyNeedsEveryContainerReadyAndTheReadinessGates() {
    Pod gated =
        new PodBuilder(pod("Always"))
            .editSpec()
            .addNewReadinessGate()
            .withConditionType("example.com/gate")
            .endReadinessGate()
            .endSpec()
            .build();
    PodStatus s = build(gated, List.of(), List.of(ready("a", true)));
    assertThat(condition(s, "ContainersReady").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("ReadinessGatesNotReady");

    s = build(pod("Always"), List.of(), List.of(ready("a", true), ready("b", false)));
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Ready").getMessage()).contains("[b]");
    assertThat(s.getPodIP()).isEqualTo("127.1.0.5");
    assertThat(s.getHostIP()).isEqualTo("127.0.2.1");
  }

  @Test
  void transitionTimeIsKeptWhileTheStatusStaysTheSame() {
    Pod before =
        new PodBuilder(pod("Always"))
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .withLastTransitionTime("2025-12-31T00:00:00Z")
            .endCondition()
            .endStatus()
            .build();
    assertThat(
            condition(build(before, List.of(), List.of(ready("a", true))), "Ready")
                .getLastTransitionTime())
        .isEqualTo("2025-12-31T00:00:00Z");
    assertThat(
            condition(build(before, List.of(), List.of(ready("a", false))), "Ready")
                .getLastTransitionTime())
        .isEqualTo("2026-01-01T00:01:00Z");
  }

  private static PodStatus build(Pod pod, List<ContainerStatus> init, List<ContainerStatus> main) {
    return PodStatusBuilder.build(
        new PodStatusBuilder.Input(pod, init, main, "127.1.0.5", "127.0.2.1", NOW, NOW));
  }

  private static PodCondition condition(PodStatus s, String type) {
    return s.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private static Pod pod(String policy) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy(policy)
        .endSpec()
        .build();
  }

  private static ContainerStatus ready(String name, boolean ready) {
    return new ContainerStatusBuilder(status("running")).withName(name).withReady(ready).build();
  }

  private static ContainerStatus status(String kind) {
    ContainerStatusBuilder b = new ContainerStatusBuilder().withName("c").withReady(false);
    switch (kind.trim()) {
      case "running":
        return b.withNewState().withNewRunning().endRunning().endState().build();
      case "waiting":
        return b.withNewState()
            .withNewWaiting()
            .withReason("ContainerCreating")
            .endWaiting()
            .endState()
            .build();
      case "exited0":
      case "exited1":
        return b.withNewState()
            .withNewTerminated()
            .withExitCode(kind.trim().endsWith("0") ? 0 : 1)
            .endTerminated()
            .endState()
            .build();
      case "backoff1":
        return b.withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(1)
            .endTerminated()
            .endLastState()
            .build();
      default:
        throw new IllegalArgumentException(kind);
    }
  }
}
