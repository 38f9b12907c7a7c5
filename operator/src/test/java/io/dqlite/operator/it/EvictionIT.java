package io.dqlite.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.kube.KubernetesWorkloadActions;
import io.dqlite.operator.kube.WorkloadActions.Eviction;
import io.dqlite.operator.plan.Decision;
import io.dqlite.operator.plan.RollDecision;
import io.dqlite.operator.plan.ScalePlan;
import io.dqlite.operator.plan.ScaleStep;
import io.dqlite.operator.steps.StepResult;
import io.dqlite.operator.steps.StepRunner;
import io.dqlite.operator.testing.FakeRaft;
import io.dqlite.operator.testing.FakeSidecars;
import io.dqlite.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's pod deletions on a real API server, which enforces PodDisruptionBudgets on the
 * Eviction subresource (the controller-manager's disruption controller computes the budget): a
 * refused eviction leaves the pod running and is answered at once (no client-side retry), the same
 * request succeeds once the budget allows it, and a pod recreated under the same name is never
 * evicted by a request that names the old one's UID.
 */
@ExtendWith(LocalKube.class)
class EvictionIT {

  static final Duration WAIT = Duration.ofSeconds(60);

  final KubernetesClient client = LocalKube.admin();
  final String ns = LocalKube.namespace("evict");
  final KubernetesWorkloadActions actions = new KubernetesWorkloadActions(client);
  final DqliteCluster cr = Fixtures.cluster();

  {
    cr.getMetadata().setNamespace(ns);
  }

  @AfterEach
  void stop() {
    actions.close();
    LocalKube.deleteNamespace(ns);
  }

  @Test
  void theBudgetRefusesThenAllowsAndARecreatedPodIsNeverEvicted() {
    String uid = runningReadyPod();
    budget(1);
    awaitDisruptionsAllowed(0);

    long start = System.nanoTime();
    assertThat(actions.evictPod(cr, 0, uid)).isEqualTo(Eviction.REFUSED_BY_BUDGET);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took)
        .as("answered, not retried for the Retry-After")
        .isLessThan(Duration.ofSeconds(5));
    Pod pod = pod();
    assertThat(pod.getMetadata().getUid()).isEqualTo(uid);
    assertThat(pod.getMetadata().getDeletionTimestamp()).as("left running").isNull();

    // A recreated pod of the same name: the stale decision's UID does not evict it, even with
    // the budget allowing a disruption.
    client.pods().inNamespace(ns).withName("db-0").withGracePeriod(0).delete();
    await().atMost(WAIT).until(() -> pod() == null);
    String recreated = runningReadyPod();
    budget(0);
    // minAvailable 0 over one pod: one disruption allowed once that pod counts as healthy.
    awaitDisruptionsAllowed(1);
    assertThat(actions.evictPod(cr, 0, uid)).isEqualTo(Eviction.STALE);
    assertThat(pod().getMetadata().getUid()).isEqualTo(recreated);
    assertThat(pod().getMetadata().getDeletionTimestamp()).isNull();

    // The retry with the pod the decision saw goes through.
    assertThat(actions.evictPod(cr, 0, recreated)).isEqualTo(Eviction.EVICTED);
    await()
        .atMost(WAIT)
        .until(() -> pod() == null || pod().getMetadata().getDeletionTimestamp() != null);
    await().atMost(WAIT).until(() -> pod() == null);
    assertThat(actions.evictPod(cr, 0, recreated)).isEqualTo(Eviction.GONE);
  }

  @Test
  void aRestartRefusedByTheBudgetLeavesThePodAndIsTakenAtTheNextPass() {
    runningReadyPod();
    budget(1);
    awaitDisruptionsAllowed(0);
    StepRunner runner =
        new StepRunner(new FakeSidecars(), new FakeRaft(), actions, Fixtures.DOMAIN);
    Decision restart =
        new Decision(
            new ScalePlan(new ScaleStep.Done(), List.of(), null),
            false,
            Optional.of(new RollDecision.Restart(0, "pod 0 is outdated")));
    List<Pod> seen = List.of(pod());

    StepResult refused =
        runner.take(
            cr, restart, OptionalInt.of(1), seen, Fixtures.membership("v0 v1* v2"), Fixtures.TOKEN);
    assertThat(refused.acted()).isFalse();
    assertThat(refused.failure())
        .hasValueSatisfying(f -> assertThat(f).contains("db-0").contains("PodDisruptionBudget"));
    assertThat(pod().getMetadata().getUid()).isEqualTo(seen.get(0).getMetadata().getUid());
    assertThat(pod().getMetadata().getDeletionTimestamp()).as("left running").isNull();

    budget(0);
    awaitDisruptionsAllowed(1);
    StepResult taken =
        runner.take(
            cr, restart, OptionalInt.of(1), seen, Fixtures.membership("v0 v1* v2"), Fixtures.TOKEN);
    assertThat(taken.acted()).isTrue();
    assertThat(taken.failure()).isEmpty();
    await().atMost(WAIT).until(() -> pod() == null);
  }

  private void awaitDisruptionsAllowed(int allowed) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var status =
                  client
                      .policy()
                      .v1()
                      .podDisruptionBudget()
                      .inNamespace(ns)
                      .withName("budget")
                      .get()
                      .getStatus();
              return status != null
                  && status.getCurrentHealthy() == 1
                  && status.getDisruptionsAllowed() == allowed;
            });
  }

  /** Pod db-0, Running and Ready (no node agent runs: its status is written here). */
  private String runningReadyPod() {
    Pod fixture = Fixtures.pod(0);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("db-0")
            .withNamespace(ns)
            .addToLabels("app", "evict-test")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("example.invalid/none")
            .endContainer()
            .endSpec()
            .build();
    Pod created = client.resource(pod).create();
    LocalKube.setPodStatus(ns, "db-0", fixture.getStatus());
    return created.getMetadata().getUid();
  }

  /** The budget over the pod: at least {@code minAvailable} healthy. */
  private void budget(int minAvailable) {
    PodDisruptionBudget budget =
        new PodDisruptionBudgetBuilder()
            .withNewMetadata()
            .withName("budget")
            .withNamespace(ns)
            .endMetadata()
            .withNewSpec()
            .withMinAvailable(new IntOrString(minAvailable))
            .withNewSelector()
            .addToMatchLabels("app", "evict-test")
            .endSelector()
            .endSpec()
            .build();
    client.resource(budget).serverSideApply();
  }

  private Pod pod() {
    return client.pods().inNamespace(ns).withName("db-0").get();
  }
}
