package io.dqlite.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.e2e.support.ContinuousWriter;
import io.dqlite.e2e.support.DqliteClusters;
import io.dqlite.e2e.support.E2eEnvironment;
import io.dqlite.e2e.support.E2eExtension;
import io.dqlite.e2e.support.Measurements;
import io.dqlite.e2e.support.SidecarView;
import io.dqlite.e2e.support.TestNamespace;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.MemberStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scaling under writes: 3 → 5 adds two stand-bys (3 voters kept), 5 → 3 removes the two highest
 * ordinals from raft (gone from every sidecar's view and from the status) and their volumes
 * (storage.retention.whenScaled: Delete, the default); no acknowledged write is lost.
 */
@ExtendWith(E2eExtension.class)
class ScaleE2E {

  @Test
  void scaleThreeToFiveAndBackUnderWrites(E2eEnvironment env, TestNamespace ns) throws Exception {
    KubernetesClient client = env.client();
    String name = "scaled";
    DqliteClusters.create(client, ns.name(), Specs.quickRoles(name, 3));
    DqliteClusters.awaitReady(client, ns.name(), name, CreateClusterE2E.READY);

    try (ContinuousWriter writer = Writers.start(env, ns.name(), name)) {
      DqliteClusters.patch(client, ns.name(), name, "{\"spec\":{\"replicas\":5}}");
      Duration up =
          DqliteClusters.awaitStatus(
              client,
              ns.name(),
              name,
              Duration.ofMinutes(6),
              "Ready with 5 members: 3 voters, 2 stand-bys",
              cr -> DqliteClusters.readyForGeneration(cr) && DqliteClusters.hasRoles(cr, 3, 2));
      Measurements.record("scale 3 -> 5 (Ready, 3 voters + 2 stand-bys)", up);
      SidecarView five =
          SidecarView.of(client, DqliteClusters.pods(client, ns.name(), name).get(0));
      assertThat(five.members()).as("raft configuration after scaling up").hasSize(5);
      assertThat(five.voters()).isEqualTo(3);
      assertThat(five.standBys()).isEqualTo(2);
      Map<String, String> idsOfFive =
          DqliteClusters.get(client, ns.name(), name).getStatus().getMembers().stream()
              .collect(Collectors.toMap(MemberStatus::getPod, MemberStatus::getId));

      DqliteClusters.patch(client, ns.name(), name, "{\"spec\":{\"replicas\":3}}");
      Duration down =
          DqliteClusters.awaitStatus(
              client,
              ns.name(),
              name,
              Duration.ofMinutes(6),
              "Ready with 3 members and 3 pods",
              cr ->
                  DqliteClusters.readyForGeneration(cr)
                      && cr.getStatus().getMembers().size() == 3
                      && DqliteClusters.pods(client, ns.name(), name).size() == 3);
      Measurements.record("scale 5 -> 3 (Ready, 3 members)", down);

      DqliteCluster cr = DqliteClusters.get(client, ns.name(), name);
      assertThat(cr.getStatus().getMembers())
          .extracting(MemberStatus::getPod)
          .containsExactlyInAnyOrder(name + "-0", name + "-1", name + "-2");
      assertThat(cr.getStatus().getMembers())
          .extracting(MemberStatus::getRole)
          .containsOnly("voter");
      assertThat(cr.getStatus().getMembers())
          .extracting(MemberStatus::getId)
          .doesNotContain(idsOfFive.get(name + "-3"), idsOfFive.get(name + "-4"));
      List<String> notes =
          client.events().v1().events().inNamespace(ns.name()).list().getItems().stream()
              .filter(e -> name.equals(e.getRegarding().getName()))
              .map(e -> e.getReason() + ": " + e.getNote())
              .toList();
      assertThat(notes)
          .as("events of the scale-down")
          .anySatisfy(
              n ->
                  assertThat(n)
                      .startsWith(
                          "ScaleDown: removed member "
                              + idsOfFive.get(name + "-4")
                              + " ("
                              + name
                              + "-4)"))
          .anySatisfy(
              n ->
                  assertThat(n)
                      .startsWith(
                          "ScaleDown: removed member "
                              + idsOfFive.get(name + "-3")
                              + " ("
                              + name
                              + "-3)"))
          .anySatisfy(n -> assertThat(n).startsWith("ScaleDown: StatefulSet replicas 5 → 3"));
      List<Pod> pods = DqliteClusters.pods(client, ns.name(), name);
      for (Pod pod : pods) {
        SidecarView view = SidecarView.of(client, pod);
        assertThat(view.members())
            .as("%s's view after scaling down", pod.getMetadata().getName())
            .hasSize(3)
            .noneMatch(
                m -> m.address().startsWith(name + "-3.") || m.address().startsWith(name + "-4."));
      }
      Awaitility.await("volumes of the departed pods deleted (whenScaled: Delete)")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  client.persistentVolumeClaims().inNamespace(ns.name()).list().getItems().stream()
                      .noneMatch(
                          pvc ->
                              pvc.getMetadata().getName().endsWith(name + "-3")
                                  || pvc.getMetadata().getName().endsWith(name + "-4")));
      // The record goes once the departed members' claims are gone, not before.
      Awaitility.await("scale-down record cleared once the claims are gone")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> DqliteClusters.get(client, ns.name(), name).getStatus().getScaleDown() == null);

      writer.close();
      System.out.println("E2E scale writer: " + writer.report());
      assertThat(writer.acknowledged()).as("acknowledged writes").isNotEmpty();
      assertThat(Writers.lost(env, ns.name(), name, writer))
          .as("acknowledged writes lost")
          .isEmpty();
    }
  }
}
