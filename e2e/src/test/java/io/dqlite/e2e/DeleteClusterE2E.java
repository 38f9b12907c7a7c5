package io.dqlite.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.e2e.support.DqliteClusters;
import io.dqlite.e2e.support.E2eEnvironment;
import io.dqlite.e2e.support.E2eExtension;
import io.dqlite.e2e.support.Measurements;
import io.dqlite.e2e.support.TestNamespace;
import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deleting a DqliteCluster: everything it owns (StatefulSet, pods, Services, ConfigMap,
 * ServiceAccount, PodDisruptionBudget, the generated TLS Secrets, NetworkPolicy) is
 * garbage-collected; the volumes stay (storage.retention.whenDeleted: Retain, the default).
 */
@ExtendWith(E2eExtension.class)
class DeleteClusterE2E {

  @Test
  void deletingTheClusterCollectsItsDependentsAndKeepsItsVolumes(
      E2eEnvironment env, TestNamespace ns) {
    KubernetesClient client = env.client();
    String name = "doomed";
    DqliteCluster created = DqliteClusters.create(client, ns.name(), Specs.minimal(name, 3));
    String uid = created.getMetadata().getUid();
    Awaitility.await("the StatefulSet and its 3 pods")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                client.apps().statefulSets().inNamespace(ns.name()).withName(name).get() != null
                    && DqliteClusters.pods(client, ns.name(), name).size() == 3
                    && client
                            .persistentVolumeClaims()
                            .inNamespace(ns.name())
                            .list()
                            .getItems()
                            .size()
                        == 3);

    List<String> owned = owned(client, ns.name(), uid);
    System.out.println("E2E objects owned by " + name + ": " + owned);
    assertThat(owned)
        .as("objects owned by the DqliteCluster")
        .contains(
            "StatefulSet/" + name,
            "Service/" + name,
            "Secret/" + name + "-tls",
            "NetworkPolicy/" + name);

    long t0 = System.nanoTime();
    DqliteClusters.resource(client, ns.name(), name).delete();
    Awaitility.await("the DqliteCluster and everything it owned gone")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                DqliteClusters.get(client, ns.name(), name) == null
                    && owned(client, ns.name(), uid).isEmpty()
                    && DqliteClusters.pods(client, ns.name(), name).isEmpty());
    Measurements.record(
        "delete DqliteCluster -> dependents collected", Duration.ofNanos(System.nanoTime() - t0));
    assertThat(client.persistentVolumeClaims().inNamespace(ns.name()).list().getItems())
        .as("volumes kept (whenDeleted: Retain)")
        .hasSize(3);
  }

  /** Kind/name of every object in the namespace with an owner reference to {@code uid}. */
  static List<String> owned(KubernetesClient client, String ns, String uid) {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(client.apps().statefulSets().inNamespace(ns).list().getItems());
    all.addAll(client.services().inNamespace(ns).list().getItems());
    all.addAll(client.configMaps().inNamespace(ns).list().getItems());
    all.addAll(client.serviceAccounts().inNamespace(ns).list().getItems());
    all.addAll(client.secrets().inNamespace(ns).list().getItems());
    all.addAll(client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems());
    all.addAll(client.network().v1().networkPolicies().inNamespace(ns).list().getItems());
    List<String> owned = new ArrayList<>();
    for (HasMetadata o : all) {
      List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
      if (refs != null && refs.stream().anyMatch(r -> uid.equals(r.getUid()))) {
        owned.add(o.getKind() + "/" + o.getMetadata().getName());
      }
    }
    return owned;
  }
}
