package io.dqlite.operator.membership;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.MemberStatus;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.plan.Member;
import io.dqlite.operator.plan.Replacement;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * From an observed {@link Membership} to what the status shows and what the planners take. Pure.
 *
 * <p>A member's pod is found from its raft address (one form only, {@link
 * ClusterNames#podAddress}); a member at another address has none. Its zone is, in order: what the
 * node reported about itself (its sidecar's own view), the pod's zone label (Kubernetes 1.36 copies
 * the node's topology labels onto bound pods), or the label of the node the pod runs on.
 */
public final class MemberMapping {

  private MemberMapping() {}

  /** The members for {@code status.members}: ordered by pod ordinal, foreign nodes last. */
  public static List<MemberStatus> statusMembers(
      DqliteCluster cr,
      Membership membership,
      List<Pod> pods,
      Map<String, Map<String, String>> nodeLabels,
      String clusterDomain) {
    Map<String, Pod> podsByName =
        pods.stream()
            .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p, (a, b) -> a));
    return membership.members().stream()
        .sorted(order(cr, clusterDomain))
        .map(
            m -> {
              OptionalInt ordinal = ClusterNames.ordinalOf(cr, m.address(), clusterDomain);
              String podName =
                  ordinal.isPresent() ? ClusterNames.podName(cr, ordinal.getAsInt()) : null;
              MemberStatus status =
                  new MemberStatus(
                      podName, m.hexId(), m.address(), m.role().toString(), m.online());
              status.setFailureDomain(m.failureDomain());
              status.setZone(
                  zone(cr, m, podName, podsByName.get(podName), membership, nodeLabels)
                      .orElse(null));
              return status;
            })
        .toList();
  }

  /** The members as the scale planner and the rolling-update gate take them. */
  public static List<Member> planMembers(
      DqliteCluster cr, Membership membership, String clusterDomain) {
    long leaderId = membership.leader().map(Membership.Leader::id).orElse(0L);
    boolean haveLeader = membership.leader().isPresent();
    return membership.members().stream()
        .map(
            m ->
                new Member(
                    m.id(),
                    m.address(),
                    ClusterNames.ordinalOf(cr, m.address(), clusterDomain),
                    m.role(),
                    m.online(),
                    haveLeader && m.id() == leaderId))
        .toList();
  }

  /** The stale members of the cluster's pods ({@link Membership#stale}), for the planner. */
  public static List<Replacement.Stale> staleMembers(
      DqliteCluster cr, Membership membership, String clusterDomain) {
    return membership.stale().stream()
        .flatMap(
            s -> {
              OptionalInt ordinal = ClusterNames.ordinalOf(cr, s.member().address(), clusterDomain);
              return ordinal.isPresent()
                  ? java.util.stream.Stream.of(
                      new Replacement.Stale(ordinal.getAsInt(), s.member().id(), s.nodeId()))
                  : java.util.stream.Stream.empty();
            })
        .toList();
  }

  /** {@code status.leader}: the leader's pod, or its address when it is not one of the pods. */
  public static Optional<String> leaderName(
      DqliteCluster cr, Membership membership, String clusterDomain) {
    return membership
        .leader()
        .map(
            l -> {
              OptionalInt ordinal = ClusterNames.ordinalOf(cr, l.address(), clusterDomain);
              return ordinal.isPresent()
                  ? ClusterNames.podName(cr, ordinal.getAsInt())
                  : l.address();
            });
  }

  private static Optional<String> zone(
      DqliteCluster cr,
      RaftMember m,
      String podName,
      Pod pod,
      Membership membership,
      Map<String, Map<String, String>> nodeLabels) {
    if (present(m.zone())) {
      return Optional.of(m.zone());
    }
    if (podName != null) {
      SidecarView.Self self = membership.selves().get(podName);
      if (self != null && m.hexId().equals(self.id()) && present(self.zone())) {
        return Optional.of(self.zone());
      }
    }
    if (pod == null) {
      return Optional.empty();
    }
    String label = cr.getSpec().getZoneLabel();
    Function<Map<String, String>, Optional<String>> read =
        labels -> Optional.ofNullable(labels).map(l -> l.get(label)).filter(MemberMapping::present);
    Optional<String> fromPod = read.apply(pod.getMetadata().getLabels());
    if (fromPod.isPresent()) {
      return fromPod;
    }
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return node == null ? Optional.empty() : read.apply(nodeLabels.get(node));
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  private static Comparator<RaftMember> order(DqliteCluster cr, String clusterDomain) {
    return Comparator.<RaftMember>comparingInt(
            m -> ClusterNames.ordinalOf(cr, m.address(), clusterDomain).orElse(Integer.MAX_VALUE))
        .thenComparing(RaftMember::address)
        .thenComparingLong(RaftMember::id);
  }
}
