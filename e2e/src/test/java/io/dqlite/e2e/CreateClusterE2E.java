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
import io.dqlite.sidecar.zone.FailureDomains;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A new 3-replica cluster: Ready with 3 voters, one pod per zone, each node's failure domain the
 * one of its zone (in the status and in every sidecar's view of the raft configuration), and an
 * application's writes through one pod's app socket read back through the others.
 */
@ExtendWith(E2eExtension.class)
class CreateClusterE2E {

  static final Duration READY = Duration.ofMinutes(5);

  @Test
  void threeReplicasBecomeReadyWithOneVoterPerZoneAndServeTheAppSocket(
      E2eEnvironment env, TestNamespace ns) throws Exception {
    KubernetesClient client = env.client();
    DqliteClusters.create(client, ns.name(), Specs.minimal("demo", 3));
    Duration took = DqliteClusters.awaitReady(client, ns.name(), "demo", READY);
    Measurements.record("create 3 replicas -> Ready", took);

    DqliteCluster cr = DqliteClusters.get(client, ns.name(), "demo");
    List<Pod> pods = DqliteClusters.pods(client, ns.name(), "demo");
    assertThat(pods)
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("demo-0", "demo-1", "demo-2");

    Map<String, String> zoneOfPod = new HashMap<>();
    for (Pod pod : pods) {
      String zone =
          client
              .nodes()
              .withName(pod.getSpec().getNodeName())
              .get()
              .getMetadata()
              .getLabels()
              .get("topology.kubernetes.io/zone");
      zoneOfPod.put(pod.getMetadata().getName(), zone);
    }
    assertThat(new HashSet<>(zoneOfPod.values()))
        .as("zones of the pods' nodes")
        .containsExactlyInAnyOrderElementsOf(E2eEnvironment.ZONES);

    assertThat(cr.getStatus().getVoters()).as("status.voters").isEqualTo(3);
    List<MemberStatus> members = cr.getStatus().getMembers();
    assertThat(members).as("status.members").hasSize(3);
    for (MemberStatus m : members) {
      String zone = zoneOfPod.get(m.getPod());
      assertThat(zone).as("member %s is one of the pods", m.getAddress()).isNotNull();
      assertThat(m.getRole()).as("role of %s", m.getPod()).isEqualTo("voter");
      assertThat(m.getOnline()).as("online %s", m.getPod()).isTrue();
      assertThat(m.getZone()).as("zone of %s", m.getPod()).isEqualTo(zone);
      assertThat(m.getFailureDomain())
          .as("failure domain of %s", m.getPod())
          .isEqualTo(FailureDomains.of(zone));
      assertThat(m.getZoneSource()).as("zone source of %s", m.getPod()).isNotEqualTo("none");
    }
    assertThat(cr.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("VoterTopology"))
        .singleElement()
        .satisfies(c -> assertThat(c.getReason()).as(c.getMessage()).isEqualTo("VotersSpread"));

    Set<String> leaders = new HashSet<>();
    Map<String, String> idOfPod = new HashMap<>();
    for (Pod pod : pods) {
      SidecarView view = SidecarView.of(client, pod);
      String zone = zoneOfPod.get(pod.getMetadata().getName());
      assertThat(view.selfZone())
          .as("zone seen by %s", pod.getMetadata().getName())
          .isEqualTo(zone);
      assertThat(view.selfFailureDomain()).isEqualTo(FailureDomains.of(zone));
      assertThat(view.members())
          .as("%s's view of the raft configuration", pod.getMetadata().getName())
          .hasSize(3)
          .allSatisfy(m -> assertThat(m.role()).isEqualTo("voter"));
      assertThat(view.members().stream().map(SidecarView.Member::failureDomain).toList())
          .containsExactlyInAnyOrderElementsOf(
              E2eEnvironment.ZONES.stream().map(FailureDomains::of).toList());
      leaders.add(view.leaderId());
      idOfPod.put(pod.getMetadata().getName(), view.selfId());
    }
    assertThat(leaders).as("every sidecar names the same leader").hasSize(1);

    // The admin API: the operator's token is needed (docs/sidecar.md, "Admin endpoints").
    Pod first = pods.get(0);
    URI cluster =
        URI.create(
            "http://" + first.getStatus().getPodIP() + ":" + SidecarView.ADMIN_PORT + "/cluster");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    assertThat(
            http.send(
                    HttpRequest.newBuilder(cluster).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .as("no token")
        .isEqualTo(401);
    URI handover =
        URI.create(
            "http://"
                + first.getStatus().getPodIP()
                + ":"
                + SidecarView.ADMIN_PORT
                + "/handover?node=0x1");
    assertThat(
            http.send(
                    HttpRequest.newBuilder(handover)
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + SidecarView.adminToken(client, first))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .as("another node's id")
        .isEqualTo(409);
    for (var c : first.getSpec().getContainers()) {
      boolean mountsAdmin =
          c.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("dqlite-admin"));
      assertThat(mountsAdmin)
          .as("container %s mounts the admin Secret", c.getName())
          .isEqualTo(c.getName().equals("dqlite"));
    }
    String leaderPod =
        idOfPod.entrySet().stream()
            .filter(e -> leaders.contains(e.getValue()))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();
    assertThat(cr.getStatus().getLeader()).as("status.leader").isEqualTo(leaderPod);
    for (MemberStatus m : members) {
      assertThat(m.getId()).as("status id of %s", m.getPod()).isEqualTo(idOfPod.get(m.getPod()));
    }

    // The application's side: write through demo-0's socket, read through the others'.
    long t0 = System.nanoTime();
    String url0 = LocalPaths.jdbcUrl(env.agentRoot(), pods.get(0), "app");
    Sql.exec(
        url0,
        "CREATE TABLE greetings (id INTEGER PRIMARY KEY, text TEXT)",
        "INSERT INTO greetings (text) VALUES ('hello from demo-0')");
    Measurements.record(
        "SQL round trip through an app socket (create + insert)",
        Duration.ofNanos(System.nanoTime() - t0));
    for (Pod pod : pods.subList(1, 3)) {
      assertThat(
              Sql.text(
                  LocalPaths.jdbcUrl(env.agentRoot(), pod, "app"),
                  "SELECT text FROM greetings WHERE id = 1"))
          .as("read through %s's app socket", pod.getMetadata().getName())
          .isEqualTo("hello from demo-0");
    }
  }
}
