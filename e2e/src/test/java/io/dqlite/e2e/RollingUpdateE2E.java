package io.dqlite.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.e2e.support.ContinuousWriter;
import io.dqlite.e2e.support.DqliteClusters;
import io.dqlite.e2e.support.E2eEnvironment;
import io.dqlite.e2e.support.E2eExtension;
import io.dqlite.e2e.support.Measurements;
import io.dqlite.e2e.support.SidecarView;
import io.dqlite.e2e.support.TestNamespace;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A rolling update under continuous writes: the sidecar image's tag changes (the image table maps
 * every tag of dqlite-k8s/sidecar to the same jar, so only the pod template differs); every pod is
 * replaced, keeps its node id, and every acknowledged write is there afterwards. The longest time
 * without an acknowledged write is printed.
 */
@ExtendWith(E2eExtension.class)
class RollingUpdateE2E {

  static final String NEW_IMAGE = "dqlite-k8s/sidecar:0.1.0-e2e";

  @Test
  void imageChangeRollsEveryPodWithoutLosingAcknowledgedWrites(E2eEnvironment env, TestNamespace ns)
      throws Exception {
    KubernetesClient client = env.client();
    String name = "rolled";
    DqliteClusters.create(client, ns.name(), Specs.minimal(name, 3));
    DqliteClusters.awaitReady(client, ns.name(), name, CreateClusterE2E.READY);
    Map<String, String> uidBefore = new HashMap<>();
    Map<String, String> nodeIdBefore = new HashMap<>();
    for (Pod pod : DqliteClusters.pods(client, ns.name(), name)) {
      uidBefore.put(pod.getMetadata().getName(), pod.getMetadata().getUid());
      nodeIdBefore.put(pod.getMetadata().getName(), SidecarView.of(client, pod).selfId());
    }

    try (ContinuousWriter writer = Writers.start(env, ns.name(), name)) {
      // The gap is the rollout's: measured once the writer has connected and written.
      await("the writer's first acknowledged writes")
          .atMost(Duration.ofMinutes(1))
          .until(() -> writer.acknowledged().size() >= 5);
      writer.measureGapsFromNow();
      DqliteClusters.patch(client, ns.name(), name, "{\"spec\":{\"image\":\"" + NEW_IMAGE + "\"}}");
      Duration took =
          DqliteClusters.awaitStatus(
              client,
              ns.name(),
              name,
              Duration.ofMinutes(8),
              "every pod replaced, running " + NEW_IMAGE + ", and Ready",
              cr ->
                  DqliteClusters.readyForGeneration(cr)
                      && allRolled(DqliteClusters.pods(client, ns.name(), name), uidBefore));
      Measurements.record("rolling update of 3 pods under writes", took);
      writer.close();
      System.out.println("E2E rolling-update writer: " + writer.report());
      Measurements.record(
          "rolling update: longest gap without an acknowledged write", writer.longestGap());

      for (Pod pod : DqliteClusters.pods(client, ns.name(), name)) {
        assertThat(SidecarView.of(client, pod).selfId())
            .as("node id of %s after its restart", pod.getMetadata().getName())
            .isEqualTo(nodeIdBefore.get(pod.getMetadata().getName()));
      }
      assertThat(writer.acknowledged()).as("acknowledged writes").isNotEmpty();
      assertThat(Writers.lost(env, ns.name(), name, writer))
          .as("acknowledged writes lost")
          .isEmpty();
    }
  }

  private static boolean allRolled(List<Pod> pods, Map<String, String> uidBefore) {
    return pods.size() == uidBefore.size()
        && pods.stream()
            .allMatch(
                p ->
                    !p.getMetadata().getUid().equals(uidBefore.get(p.getMetadata().getName()))
                        && DqliteClusters.podReady(p)
                        && p.getSpec().getContainers().stream()
                            .map(Container::getImage)
                            .anyMatch(NEW_IMAGE::equals));
  }
}
