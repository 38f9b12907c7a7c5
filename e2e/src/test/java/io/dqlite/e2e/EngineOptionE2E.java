package io.dqlite.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.e2e.support.DqliteClusters;
import io.dqlite.e2e.support.E2eEnvironment;
import io.dqlite.e2e.support.E2eExtension;
import io.dqlite.e2e.support.TestNamespace;
import io.dqlite.operator.crd.ConditionTypes;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code spec.engine} option that the image's libdqlite lacks (the local images run the host's
 * 1.11.1, which has no disk mode): the sidecar stops at start, and the reason, naming the missing
 * call, reaches the pod's last termination message (FallbackToLogsOnError) and the cluster's
 * Degraded condition, where a user looks first.
 */
@ExtendWith(E2eExtension.class)
class EngineOptionE2E {

  private static final String MISSING = "exports no dqlite_node_enable_disk_mode";
  private static final Duration SURFACED = Duration.ofMinutes(3);

  @Test
  void diskModeOnLibdqlite111IsNamedInThePodAndTheClusterStatus(
      E2eEnvironment env, TestNamespace ns) {
    KubernetesClient client = env.client();
    String name = "disk";
    DqliteClusters.create(
        client,
        ns.name(),
        Specs.minimal(name, 1)
            + """
              engine:
                diskMode: true
            """);
    await(ns.name() + "/" + name + ": the pod's last termination names the missing call")
        .atMost(SURFACED)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              List<Pod> pods = DqliteClusters.pods(client, ns.name(), name);
              ContainerStatus sidecar =
                  pods.get(0).getStatus().getContainerStatuses().stream()
                      .filter(c -> c.getName().equals("dqlite"))
                      .findFirst()
                      .orElseThrow();
              String message = sidecar.getLastState().getTerminated().getMessage();
              assertThat(message).contains("disk mode is not supported").contains(MISSING);
            });
    DqliteClusters.awaitStatus(
        client,
        ns.name(),
        name,
        SURFACED,
        "Degraded names the missing call",
        cr ->
            DqliteClusters.condition(cr, ConditionTypes.DEGRADED)
                .filter(c -> "True".equals(c.getStatus()))
                .filter(c -> c.getMessage() != null && c.getMessage().contains(MISSING))
                .isPresent());
  }
}
