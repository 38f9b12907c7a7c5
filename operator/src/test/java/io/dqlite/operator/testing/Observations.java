package io.dqlite.operator.testing;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.plan.RollDecision;
import io.dqlite.operator.plan.ScaleStep;
import io.dqlite.operator.status.NodeFacts;
import io.dqlite.operator.status.Observation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Observations for status tables, in a compact notation.
 *
 * <ul>
 *   <li>Pods: {@code 0 1! 2:ImagePullBackOff 3:Unschedulable 4~}: ordinal; {@code !} not ready
 *       (since 10:00:10); {@code :Reason} a container waiting for that reason (or, for {@code
 *       Unschedulable}, the scheduler's verdict); {@code ~} terminating.
 *   <li>Nodes: {@code 3z} three schedulable nodes with a zone label, {@code 2} two without, {@code
 *       3z+1x} plus one cordoned, {@code ?} unknown.
 * </ul>
 */
public final class Observations {

  public static final Instant NOW = Instant.parse("2026-11-25T10:05:00Z");

  private Observations() {}

  public static Observation of(
      DqliteCluster cr,
      String pods,
      String members,
      String nodes,
      ScaleStep step,
      Optional<RollDecision> roll,
      Optional<String> failure,
      Instant now) {
    List<Pod> list = pods(pods);
    int ready = (int) list.stream().filter(Observations::ready).count();
    StatefulSet sts =
        new StatefulSetBuilder()
            .withNewSpec()
            .withReplicas(list.size())
            .endSpec()
            .withNewStatus()
            .withReplicas(list.size())
            .withReadyReplicas(ready)
            .endStatus()
            .build();
    Membership membership =
        members == null || members.isBlank()
            ? Membership.unknown(Map.of(), List.of("db-0: connection refused"))
            : Fixtures.membership(members);
    return new Observation(
        cr,
        Optional.of(sts),
        list,
        membership,
        nodes(nodes),
        step,
        null,
        roll,
        failure,
        Optional.empty(),
        Fixtures.DOMAIN,
        now);
  }

  public static Observation steady(DqliteCluster cr, String pods, String members, String nodes) {
    return of(
        cr,
        pods,
        members,
        nodes,
        new ScaleStep.Done(),
        Optional.of(new RollDecision.Done()),
        Optional.empty(),
        NOW);
  }

  public static DqliteCluster bootstrapped(DqliteCluster cr) {
    DqliteClusterStatus status = new DqliteClusterStatus();
    status.setBootstrapped(true);
    cr.setStatus(status);
    return cr;
  }

  static boolean ready(Pod p) {
    return p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public static List<Pod> pods(String text) {
    List<Pod> pods = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return pods;
    }
    for (String token : text.trim().split("\\s+")) {
      var m = java.util.regex.Pattern.compile("(\\d+)(!)?(?::(\\w+))?(~)?").matcher(token);
      if (!m.matches()) {
        throw new IllegalArgumentException("bad pod " + token);
      }
      int ordinal = Integer.parseInt(m.group(1));
      boolean ready = m.group(2) == null && m.group(3) == null;
      PodBuilder pod = new PodBuilder(Fixtures.pod(ordinal, ready));
      String reason = m.group(3);
      if ("Unschedulable".equals(reason)) {
        pod.editStatus()
            .withPodIP(null)
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/3 nodes are available: 3 Insufficient memory.")
            .endCondition()
            .endStatus();
      } else if (reason != null) {
        pod.editStatus()
            .addNewContainerStatus()
            .withName("dqlite")
            .withNewState()
            .withNewWaiting()
            .withReason(reason)
            .withMessage("details of " + reason)
            .endWaiting()
            .endState()
            .endContainerStatus()
            .endStatus();
      }
      if (m.group(4) != null) {
        pod.editMetadata().withDeletionTimestamp("2026-11-25T10:04:00Z").endMetadata();
      }
      pods.add(pod.build());
    }
    return pods;
  }

  public static NodeFacts nodes(String text) {
    if (text == null || text.equals("?")) {
      return NodeFacts.unknown();
    }
    List<NodeFacts.KubeNode> nodes = new ArrayList<>();
    for (String part : text.split("\\+")) {
      if (part.isBlank()) {
        continue;
      }
      boolean zoned = part.contains("z");
      boolean cordoned = part.contains("x");
      int count = Integer.parseInt(part.replaceAll("[a-z]", ""));
      for (int i = 0; i < count; i++) {
        String name = "node-" + nodes.size();
        nodes.add(
            new NodeFacts.KubeNode(
                name,
                zoned ? Map.of("topology.kubernetes.io/zone", "zone-" + (i % 3)) : Map.of(),
                !cordoned));
      }
    }
    return new NodeFacts(true, nodes);
  }
}
