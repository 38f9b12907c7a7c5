package io.dqlite.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.e2e.support.DqliteClusters;
import io.dqlite.e2e.support.E2eEnvironment;
import io.dqlite.e2e.support.E2eExtension;
import io.dqlite.e2e.support.LocalPaths;
import io.dqlite.e2e.support.Measurements;
import io.dqlite.e2e.support.SidecarView;
import io.dqlite.e2e.support.Sql;
import io.dqlite.e2e.support.TestNamespace;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.ClusterNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One cluster per name: a DqliteCluster is deleted (its claims are retained by default), pod 0's
 * claim is lost, and the resource is created again. Pod 0 must not bootstrap a second cluster next
 * to the old members on pods 1 and 2: the operator adopts the identity on their claims, pod 0 joins
 * them as a new node, the old pod-0 member is replaced, and every row written before is there.
 */
@ExtendWith(E2eExtension.class)
class RecreateClusterE2E {

  @Test
  void aClusterRecreatedAfterPodZeroLostItsVolumeJoinsTheOldMembers(
      E2eEnvironment env, TestNamespace ns) throws Exception {
    KubernetesClient client = env.client();
    String name = "again";
    DqliteClusters.create(client, ns.name(), Specs.quickRoles(name, 3));
    DqliteClusters.awaitReady(client, ns.name(), name, CreateClusterE2E.READY);
    String clusterId =
        DqliteClusters.get(client, ns.name(), name).getStatus().getIdentity().getClusterId();

    List<Pod> pods = DqliteClusters.pods(client, ns.name(), name);
    String url = LocalPaths.jdbcUrl(env.agentRoot(), pods.get(1), "app");
    Sql.exec(url, "CREATE TABLE rows (id INTEGER PRIMARY KEY)");
    for (long i = 1; i <= 20; i++) {
      Sql.exec(url, "INSERT INTO rows (id) VALUES (" + i + ")");
    }
    String oldPod0 = SidecarView.of(client, pods.get(0)).selfId();

    System.out.println("E2E deleting DqliteCluster " + name + " and then the claim of pod 0");
    long t0 = System.nanoTime();
    DqliteClusters.resource(client, ns.name(), name).delete();
    Awaitility.await("the pods gone")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                DqliteClusters.pods(client, ns.name(), name).isEmpty()
                    && DqliteClusters.resource(client, ns.name(), name).get() == null);
    String claim0 = ClusterNames.DATA_VOLUME + "-" + name + "-0";
    client.persistentVolumeClaims().inNamespace(ns.name()).withName(claim0).delete();
    Awaitility.await("pod 0's claim gone")
        .atMost(Duration.ofMinutes(1))
        .until(
            () ->
                client.persistentVolumeClaims().inNamespace(ns.name()).withName(claim0).get()
                    == null);

    DqliteClusters.create(client, ns.name(), Specs.quickRoles(name, 3));
    Duration ready =
        DqliteClusters.awaitStatus(
            client,
            ns.name(),
            name,
            Duration.ofMinutes(5),
            "Ready with 3 online voters",
            cr ->
                DqliteClusters.readyForGeneration(cr)
                    && Integer.valueOf(3).equals(cr.getStatus().getVoters()));
    Measurements.record(
        "re-created over retained claims, pod 0's lost -> Ready",
        Duration.ofNanos(System.nanoTime() - t0));

    DqliteCluster cr = DqliteClusters.get(client, ns.name(), name);
    assertThat(cr.getStatus().getIdentity().getClusterId())
        .as("the identity adopted")
        .isEqualTo(clusterId);
    assertThat(cr.getStatus().getIdentity().getAdopted()).isTrue();
    List<Pod> after = DqliteClusters.pods(client, ns.name(), name);
    String newPod0 = SidecarView.of(client, after.get(0)).selfId();
    assertThat(newPod0).as("pod 0 is a new node").isNotEqualTo(oldPod0);
    for (Pod p : after) {
      assertThat(SidecarView.of(client, p).members())
          .as("one cluster, as %s sees it", p.getMetadata().getName())
          .extracting(SidecarView.Member::id)
          .hasSize(3)
          .doesNotContain(oldPod0)
          .contains(newPod0);
    }
    String url0 = LocalPaths.jdbcUrl(env.agentRoot(), after.get(0), "app");
    assertThat(Sql.ids(url0, "rows"))
        .as("the rows, through pod 0's app socket")
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace(ns.name())
                .withName(claim0)
                .get()
                .getMetadata()
                .getLabels())
        .as("pod 0's new claim labelled")
        .containsEntry("dqlite.io/cluster-id", clusterId);
    System.out.println(
        "E2E "
            + name
            + " re-created: pod 0 "
            + oldPod0
            + " -> "
            + newPod0
            + " joined cluster "
            + clusterId
            + "; Ready after "
            + ready);
  }
}
