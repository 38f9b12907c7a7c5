package io.dqlite.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.operator.crd.ConditionTypes;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.status.Conditions;
import io.dqlite.operator.testing.FakeCluster;
import io.dqlite.operator.testing.FakeServices;
import io.dqlite.operator.testing.FakeWorkloads;
import io.dqlite.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler through JOSDK against fabric8's in-process mock API server, with a simulated
 * dqlite cluster behind the sidecar and protocol interfaces: owned objects with owner references
 * and the status. What needs a real API server (server-side apply, garbage collection, CEL, the
 * scale subresource, a whole scale-down) is in the *IT tests.
 */
@EnableKubernetesMockClient(crud = true)
class DqliteClusterReconcilerTest {

  KubernetesClient client;
  Operator operator;
  final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.stop();
    }
  }

  private void start(FakeCluster dqlite, FakeWorkloads workloads) {
    ReconcilerServices services = FakeServices.of(dqlite, workloads, events);
    // The mock server cannot create through server-side apply, so dependents and the status use
    // plain create, update and patch here; server-side apply is exercised against a real API
    // server.
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withUseSSAToPatchPrimaryResource(false));
    operator.register(new DqliteClusterReconciler(services));
    operator.start();
  }

  @Test
  void createsEveryOwnedObjectAndReportsStatus() {
    DqliteCluster cr = Fixtures.cluster(spec -> spec.setTls(tlsGenerated()));
    cr.getMetadata().setUid(null);
    DqliteCluster created = client.resource(cr).create();
    start(new FakeCluster("v0*"), new FakeWorkloads());

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              DqliteClusterStatus status = current().getStatus();
              assertThat(status).isNotNull();
              assertThat(status.getSelector()).isEqualTo(ClusterNames.selector(cr));
              assertThat(status.getConditions())
                  .extracting(c -> c.getType())
                  .containsExactly(
                      ConditionTypes.READY,
                      ConditionTypes.AVAILABLE,
                      ConditionTypes.PROGRESSING,
                      ConditionTypes.DEGRADED);
            });
    List<HasMetadata> owned =
        List.of(
            get(StatefulSet.class, ClusterNames.statefulSet(cr)).orElseThrow(),
            get(Service.class, ClusterNames.headlessService(cr)).orElseThrow(),
            get(Service.class, ClusterNames.clientService(cr)).orElseThrow(),
            get(PodDisruptionBudget.class, ClusterNames.podDisruptionBudget(cr)).orElseThrow(),
            get(ServiceAccount.class, ClusterNames.serviceAccount(cr)).orElseThrow(),
            get(ConfigMap.class, ClusterNames.joinConfigMap(cr)).orElseThrow(),
            get(Secret.class, ClusterNames.generatedTlsSecret(cr)).orElseThrow());
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
    DqliteClusterStatus status = current().getStatus();
    assertThat(Conditions.find(status.getConditions(), ConditionTypes.AVAILABLE).orElseThrow())
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("NoLeader");
              assertThat(c.getObservedGeneration())
                  .isEqualTo(created.getMetadata().getGeneration());
            });
  }

  private static io.dqlite.operator.crd.TlsSpec tlsGenerated() {
    io.dqlite.operator.crd.TlsSpec tls = new io.dqlite.operator.crd.TlsSpec();
    tls.setGenerate(true);
    return tls;
  }

  private DqliteCluster current() {
    return client.resources(DqliteCluster.class).inNamespace("shop").withName("db").get();
  }

  private <T extends HasMetadata> Optional<T> get(Class<T> type, String name) {
    return Optional.ofNullable(client.resources(type).inNamespace("shop").withName(name).get());
  }
}
