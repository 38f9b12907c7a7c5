package io.dqlite.operator.membership;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.MemberStatus;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.plan.Member;
import io.dqlite.operator.plan.Replacement;
import io.dqlite.sidecar.api.SidecarView;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * From an observed {@link Membership} to what the status shows and what the planners take. Pure.
 *
 * <p>A member's pod is found from its raft address (one form only, {@link
 * ClusterNames#podAddress}); a member at another address has none. Its zone is only what the node
 * reported about itself (its sidecar's own {@code /cluster} view, {@code self.zone}): that is the
 * zone its failure domain, and so raft's spreading of voters, derives from. The operator's own
 * reading of pod or Node labels would show a zone the node may not use (pods without the zone
 * label, no permission to read Nodes), so it is never lent: without the node's own report the zone
 * stays unset and {@code zoneSource} says {@value #UNREPORTED}.
 */
public final class MemberMapping {

  /** {@code zoneSource} of a member whose own view the operator could not read. */
  public static final String UNREPORTED = "unreported";

  private MemberMapping() {}

  /** The members for {@code status.members}: ordered by pod ordinal, foreign nodes last. */
  public static List<MemberStatus> statusMembers(
      DqliteCluster cr, Membership membership, String clusterDomain) {
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
              Optional<SidecarView.Self> self = self(m, podName, membership);
              status.setZone(
                  self.map(SidecarView.Self::zone).filter(MemberMapping::present).orElse(null));
              status.setZoneSource(
                  self.map(SidecarView.Self::zoneSource)
                      .filter(MemberMapping::present)
                      .orElse(UNREPORTED));
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

  /** The member's report about itself: its pod's sidecar's view, if that node has its id. */
  private static Optional<SidecarView.Self> self(
      RaftMember m, String podName, Membership membership) {
    SidecarView.Self self = podName == null ? null : membership.selves().get(podName);
    return self != null && m.hexId().equals(self.id()) ? Optional.of(self) : Optional.empty();
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
