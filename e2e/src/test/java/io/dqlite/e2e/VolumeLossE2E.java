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
import io.dqlite.operator.crd.MemberStatus;
import io.dqlite.operator.dependents.ClusterNames;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A follower loses its volume (its claim and pod deleted, as when a node with local storage dies):
 * the pod comes back as a new node at the same address, the operator removes the old member that
 * holds the address, the new node joins and takes its vote, and no row is lost.
 */
@ExtendWith(E2eExtension.class)
class VolumeLossE2E {

  @Test
  void aFollowerThatLostItsVolumeIsReplacedByItsNewNode(E2eEnvironment env, TestNamespace ns)
      throws Exception {
    KubernetesClient client = env.client();
    String name = "lost";
    DqliteClusters.create(client, ns.name(), Specs.quickRoles(name, 3));
    DqliteClusters.awaitReady(client, ns.name(), name, CreateClusterE2E.READY);

    List<Pod> pods = DqliteClusters.pods(client, ns.name(), name);
    String url = LocalPaths.jdbcUrl(env.agentRoot(), pods.get(0), "app");
    Sql.exec(url, "CREATE TABLE rows (id INTEGER PRIMARY KEY)");
    for (long i = 1; i <= 20; i++) {
      Sql.exec(url, "INSERT INTO rows (id) VALUES (" + i + ")");
    }

    String leaderId = SidecarView.of(client, pods.get(0)).leaderId();
    Pod follower = null;
    String oldId = null;
    for (Pod p : pods) {
      String id = SidecarView.of(client, p).selfId();
      if (!id.equals(leaderId)) {
        follower = p;
        oldId = id;
      }
    }
    assertThat(follower).as("a follower").isNotNull();
    String podName = follower.getMetadata().getName();
    String claim = ClusterNames.DATA_VOLUME + "-" + podName;
    PersistentVolumeClaim before =
        client.persistentVolumeClaims().inNamespace(ns.name()).withName(claim).get();
    System.out.println(
        "E2E deleting the claim and pod of follower " + podName + " (" + oldId + ")");

    long t0 = System.nanoTime();
    client.persistentVolumeClaims().inNamespace(ns.name()).withName(claim).delete();
    client.pods().inNamespace(ns.name()).withName(podName).delete();
    String uid = follower.getMetadata().getUid();
    Awaitility.await(podName + " back as a new node")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () -> {
              Pod p = client.pods().inNamespace(ns.name()).withName(podName).get();
              // Its sidecar answers /cluster with 503 while it joins; the status shows the rest.
              return p != null
                  && !p.getMetadata().getUid().equals(uid)
                  && p.getStatus().getPodIP() != null;
            });
    Duration ready =
        DqliteClusters.awaitStatus(
            client,
            ns.name(),
            name,
            Duration.ofMinutes(4),
            "Ready with 3 online voters",
            cr ->
                DqliteClusters.readyForGeneration(cr)
                    && Integer.valueOf(3).equals(cr.getStatus().getVoters()));
    Measurements.record(
        "follower volume lost -> cluster Ready again", Duration.ofNanos(System.nanoTime() - t0));

    Pod back = client.pods().inNamespace(ns.name()).withName(podName).get();
    String newId = SidecarView.of(client, back).selfId();
    assertThat(newId).as("the returned pod is a new node").isNotEqualTo(oldId);
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace(ns.name())
                .withName(claim)
                .get()
                .getMetadata()
                .getUid())
        .as("a new volume")
        .isNotEqualTo(before.getMetadata().getUid());

    DqliteCluster cr = DqliteClusters.get(client, ns.name(), name);
    assertThat(cr.getStatus().getMembers())
        .hasSize(3)
        .allSatisfy(m -> assertThat(m.getOnline()).as("%s online", m.getId()).isTrue())
        .allSatisfy(m -> assertThat(m.getRole()).isEqualTo("voter"))
        .extracting(MemberStatus::getId)
        .doesNotContain(oldId)
        .contains(newId);
    for (Pod p : DqliteClusters.pods(client, ns.name(), name)) {
      assertThat(SidecarView.of(client, p).members())
          .as("the configuration as %s sees it", p.getMetadata().getName())
          .extracting(SidecarView.Member::id)
          .hasSize(3)
          .doesNotContain(oldId)
          .contains(newId);
    }
    String note = oldId;
    var events = client.events().v1().events().inNamespace(ns.name()).list().getItems();
    assertThat(events)
        .as("the Degraded Warning while the stale member lasted")
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("StaleMembers");
              assertThat(e.getNote()).contains(note).contains(newId);
            });
    assertThat(events)
        .as("the operator's replacement Event")
        .anySatisfy(
            e -> {
              assertThat(e.getReason()).isEqualTo("ReplaceMember");
              assertThat(e.getNote()).contains(note).contains(newId);
            });
    String backUrl = LocalPaths.jdbcUrl(env.agentRoot(), back, "app");
    assertThat(Sql.ids(backUrl, "rows"))
        .as("rows read through the new node's app socket")
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
    System.out.println(
        "E2E " + podName + " replaced " + oldId + " by " + newId + "; Ready again after " + ready);
  }
}
