package io.dqlite.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterSpec;
import io.dqlite.operator.dependents.ClusterNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The JOSDK wiring against fabric8's in-process mock API server: the workflow creates every owned
 * object with an owner reference, and the status reports the selector. What needs a real API server
 * (server-side apply semantics, garbage collection, CEL) is tested elsewhere.
 */
@EnableKubernetesMockClient(crud = true)
class DqliteClusterReconcilerTest {

  KubernetesClient client;

  @Test
  void createsEveryOwnedObject() {
    DqliteCluster cr = new DqliteCluster();
    cr.setMetadata(new ObjectMetaBuilder().withName("db").withNamespace("test").build());
    cr.setSpec(new DqliteClusterSpec());
    DqliteCluster created = client.resource(cr).create();

    // The mock server cannot create through server-side apply, so dependents use plain create and
    // update here; server-side apply is exercised against a real API server.
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withUseSSAToPatchPrimaryResource(false));
    operator.register(new DqliteClusterReconciler());
    operator.start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(get(StatefulSet.class, "db")).isPresent();
                DqliteCluster current =
                    client.resources(DqliteCluster.class).inNamespace("test").withName("db").get();
                assertThat(current.getStatus()).isNotNull();
                assertThat(current.getStatus().getSelector()).isEqualTo(ClusterNames.selector(cr));
              });
      List<HasMetadata> owned =
          List.of(
              get(StatefulSet.class, ClusterNames.statefulSet(cr)).orElseThrow(),
              get(Service.class, ClusterNames.headlessService(cr)).orElseThrow(),
              get(Service.class, ClusterNames.clientService(cr)).orElseThrow(),
              get(PodDisruptionBudget.class, ClusterNames.podDisruptionBudget(cr)).orElseThrow(),
              get(ServiceAccount.class, ClusterNames.serviceAccount(cr)).orElseThrow(),
              get(ConfigMap.class, ClusterNames.joinConfigMap(cr)).orElseThrow());
      assertThat(owned)
          .allSatisfy(
              o ->
                  assertThat(o.getMetadata().getOwnerReferences())
                      .singleElement()
                      .satisfies(
                          ref -> {
                            assertThat(ref.getKind()).isEqualTo("DqliteCluster");
                            assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid());
                          }));
      assertThat(get(StatefulSet.class, "db").orElseThrow().getSpec().getReplicas()).isEqualTo(3);
    } finally {
      operator.stop();
    }
  }

  private <T extends HasMetadata> Optional<T> get(Class<T> type, String name) {
    return Optional.ofNullable(client.resources(type).inNamespace("test").withName(name).get());
  }

  @Test
  void statusReportsTheStatefulSetAndKeepsTheRest() {
    DqliteCluster cr = new DqliteCluster();
    cr.setMetadata(
        new ObjectMetaBuilder().withName("db").withNamespace("test").withGeneration(4L).build());
    cr.setSpec(new DqliteClusterSpec());
    cr.getStatus().setLeader("db-1");
    StatefulSet sts =
        new StatefulSetBuilder()
            .withNewStatus()
            .withReplicas(3)
            .withReadyReplicas(2)
            .endStatus()
            .build();
    var status = DqliteClusterReconciler.observed(cr, Optional.of(sts));
    assertThat(status.getObservedGeneration()).isEqualTo(4L);
    assertThat(status.getReplicas()).isEqualTo(3);
    assertThat(status.getReadyReplicas()).isEqualTo(2);
    assertThat(status.getLeader()).isEqualTo("db-1");
    assertThat(DqliteClusterReconciler.observed(cr, Optional.empty()).getReplicas()).isZero();
  }
}
