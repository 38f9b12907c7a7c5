package io.dqlite.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.operator.DqliteClusterReconciler;
import io.dqlite.operator.ReconcilerServices;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.DesiredStatefulSet;
import io.dqlite.operator.testing.FakeCluster;
import io.dqlite.operator.testing.FakeServices;
import io.dqlite.operator.testing.FakeWorkloads;
import io.dqlite.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A whole scale-down through JOSDK against a real API server, with the production client settings
 * (server-side apply for the owned objects and the status) and a simulated dqlite cluster behind
 * the sidecar and protocol interfaces: record the plan, hand over, remove two members, shrink the
 * StatefulSet, and clear {@code status.scaleDown} once the controller-manager has deleted the pods.
 *
 * <p>Not against fabric8's mock server: without server-side apply JOSDK patches the status as a
 * JSON diff against its informer's copy, which the mock fails to apply for as long as that copy
 * lags; server-side apply takes the whole status, as production does.
 */
@ExtendWith(LocalKube.class)
class ScaleDownIT {

  /** The fixtures' namespace: the simulated members' addresses name it. */
  static final String NS = "shop";

  static final Duration WAIT = Duration.ofSeconds(90);

  final KubernetesClient client = LocalKube.admin();
  final List<String> events = new CopyOnWriteArrayList<>();
  Operator operator;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.stop();
    }
    LocalKube.deleteNamespace(NS);
  }

  @Test
  void scaleDownHandsOverRemovesShrinksThenClearsTheBookkeeping() {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    // Five pods, five members; pod 4 leads. The spec asks for three.
    DqliteCluster cr = Fixtures.cluster(spec -> spec.setReplicas(3));
    cr.getMetadata().setUid(null);
    cr.getMetadata().setGeneration(null);
    DqliteCluster created = client.resource(cr).create();
    StatefulSet five =
        DesiredStatefulSet.build(Fixtures.cluster(spec -> spec.setReplicas(5)), 5, Fixtures.DOMAIN);
    five.addOwnerReference(created);
    client.resource(five).create();
    FakeCluster dqlite = new FakeCluster("v0 v1 v2 s3 v4*");
    // The operator first: the controller-manager creates no pod before their ServiceAccount.
    start(dqlite, new FakeWorkloads());
    makePodsReady(5);

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(statefulSet().getSpec().getReplicas()).isEqualTo(3));
    assertThat(dqlite.log).containsExactly("handover 0x104", "remove 0x104", "remove 0x103");
    assertThat(dqlite.membership().members()).hasSize(3);
    // The bookkeeping stays while pods 3 and 4 run, and goes with them.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(client.pods().inNamespace(NS).list().getItems()).hasSize(3);
              assertThat(current().getStatus().getScaleDown()).isNull();
            });
    assertThat(events)
        .anySatisfy(e -> assertThat(e).startsWith("ScaleDown: db-4 handed over"))
        .anySatisfy(e -> assertThat(e).startsWith("ScaleDown: removed member 0x104 (db-4)"))
        .anySatisfy(e -> assertThat(e).startsWith("ScaleDown: StatefulSet replicas 5 → 3"))
        .anySatisfy(e -> assertThat(e).startsWith("MemberRemoved: member 0x103 (db-3)"));
    assertThat(events)
        .as("each change is told once, however late the cache shows the status")
        .filteredOn(e -> e.startsWith("MemberRemoved: member 0x104"))
        .hasSize(1);
  }

  /**
   * No node agent runs here: the pods the controller-manager creates stay Pending, so each is given
   * the running, ready status of its fixture.
   */
  private void makePodsReady(int count) {
    await()
        .atMost(WAIT)
        .until(() -> client.pods().inNamespace(NS).list().getItems().size() == count);
    for (int i = 0; i < count; i++) {
      Pod fixture = Fixtures.pod(i);
      LocalKube.setPodStatus(NS, fixture.getMetadata().getName(), fixture.getStatus());
    }
  }

  private void start(FakeCluster dqlite, FakeWorkloads workloads) {
    ReconcilerServices services = FakeServices.of(dqlite, workloads, events);
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withDefaultNonSSAResource(Set.of()));
    operator.register(new DqliteClusterReconciler(services));
    operator.start();
  }

  private StatefulSet statefulSet() {
    return client.apps().statefulSets().inNamespace(NS).withName("db").get();
  }

  private DqliteCluster current() {
    return client.resources(DqliteCluster.class).inNamespace(NS).withName("db").get();
  }
}
