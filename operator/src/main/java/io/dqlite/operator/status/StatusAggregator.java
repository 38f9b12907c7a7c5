package io.dqlite.operator.status;

import io.dqlite.client.model.NodeRole;
import io.dqlite.operator.crd.ConditionTypes;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.membership.MemberMapping;
import io.dqlite.operator.membership.RaftMember;
import io.dqlite.operator.plan.RollDecision;
import io.dqlite.operator.plan.ScaleStep;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place the status is computed: from an {@link Observation} to the whole new {@link
 * DqliteClusterStatus}. Pure.
 *
 * <p>Conditions:
 *
 * <ul>
 *   <li>Ready: every wanted pod exists and is ready, each runs an online member, and the roles have
 *       settled (as many voters and stand-bys as the spec asks for, bounded by the pod count).
 *   <li>Available: a leader exists and a majority of the voters is online: writes succeed.
 *   <li>Progressing: a scale step or a rolling restart is under way or waiting.
 *   <li>Degraded: see {@link DegradedCheck}.
 *   <li>VoterTopology: the voters' failure domains cover the pods' zones; see {@link
 *       VoterTopology}.
 * </ul>
 *
 * <p>Without a leader the membership cannot be read: the last known members are kept as they were
 * (so no member seems to leave or join), {@code leader} is cleared.
 */
public final class StatusAggregator {

  private StatusAggregator() {}

  public static DqliteClusterStatus aggregate(Observation o) {
    return aggregate(o, DegradedCheck.NOT_READY_DEADLINE);
  }

  public static DqliteClusterStatus aggregate(Observation o, Duration notReadyDeadline) {
    DqliteCluster cr = o.cr();
    DqliteClusterStatus previous =
        cr.getStatus() == null ? new DqliteClusterStatus() : cr.getStatus();
    List<Condition> before =
        previous.getConditions() == null ? List.of() : previous.getConditions();
    Long generation = cr.getMetadata().getGeneration();

    DqliteClusterStatus status = new DqliteClusterStatus();
    status.setObservedGeneration(generation);
    status.setSelector(ClusterNames.selector(cr));
    StatefulSetStatus sts = o.statefulSet().map(s -> s.getStatus()).orElse(null);
    status.setReplicas(sts == null || sts.getReplicas() == null ? 0 : sts.getReplicas());
    status.setReadyReplicas(
        sts == null || sts.getReadyReplicas() == null ? 0 : sts.getReadyReplicas());
    status.setScaleDown(o.scaleBookkeeping());
    // Decided before anything was built (TlsModeDecision) and recorded on the resource then.
    status.setTls(previous.getTls());
    status.setIdentity(previous.getIdentity());
    status.setBootstrapped(
        Boolean.TRUE.equals(previous.getBootstrapped()) || o.membership().hasLeader()
            ? true
            : null);

    if (o.membership().hasLeader()) {
      status.setMembers(MemberMapping.statusMembers(cr, o.membership(), o.clusterDomain()));
      status.setLeader(
          MemberMapping.leaderName(cr, o.membership(), o.clusterDomain()).orElse(null));
      status.setVoters(
          (int)
              o.membership().members().stream()
                  .filter(m -> m.role() == NodeRole.VOTER && m.online())
                  .count());
    } else {
      status.setMembers(previous.getMembers() == null ? new ArrayList<>() : previous.getMembers());
      status.setLeader(null);
      status.setVoters(previous.getVoters());
    }

    List<Condition> conditions = new ArrayList<>();
    conditions.add(ready(o, before, generation));
    conditions.add(available(o, before, generation));
    conditions.add(progressing(o, before, generation));
    conditions.add(degraded(o, before, generation, notReadyDeadline));
    VoterTopology.Verdict topology = VoterTopology.of(o);
    conditions.add(
        Conditions.of(
            before,
            ConditionTypes.VOTER_TOPOLOGY,
            topology.status(),
            topology.reason(),
            topology.message(),
            generation,
            o.now()));
    status.setConditions(conditions);
    return status;
  }

  private static Condition ready(Observation o, List<Condition> before, Long generation) {
    String reason;
    String message;
    int desired = o.desiredReplicas();
    List<Pod> ready = o.livePods().stream().filter(StatusAggregator::isReady).toList();
    List<RaftMember> members = o.membership().members();
    long voters = count(members, NodeRole.VOTER);
    long standBys = count(members, NodeRole.STANDBY);
    List<Integer> withoutMember = podsWithoutOnlineMember(o);
    if (ready.size() < desired || o.livePods().size() != desired) {
      reason = "PodsNotReady";
      message = ready.size() + " of " + desired + " pods ready";
    } else if (!o.membership().hasLeader()) {
      reason = "MembershipUnknown";
      message = "no raft leader found to read the membership from";
    } else if (!withoutMember.isEmpty()) {
      reason = "MembersNotJoined";
      message = "pods without an online member: " + withoutMember;
    } else if (voters != o.expectedVoters() || standBys != o.expectedStandBys()) {
      reason = "RolesNotSettled";
      message =
          voters
              + " voters and "
              + standBys
              + " stand-bys online, "
              + o.expectedVoters()
              + " and "
              + o.expectedStandBys()
              + " wanted";
    } else {
      return Conditions.of(
          before,
          ConditionTypes.READY,
          Conditions.TRUE,
          "AllMembersReady",
          desired + " pods ready, " + voters + " voters and " + standBys + " stand-bys online",
          generation,
          o.now());
    }
    return Conditions.of(
        before, ConditionTypes.READY, Conditions.FALSE, reason, message, generation, o.now());
  }

  private static Condition available(Observation o, List<Condition> before, Long generation) {
    if (!o.membership().hasLeader()) {
      String message =
          "no raft leader found"
              + (o.membership().problems().isEmpty()
                  ? ""
                  : ": " + String.join("; ", o.membership().problems()));
      return Conditions.of(
          before,
          ConditionTypes.AVAILABLE,
          Conditions.FALSE,
          "NoLeader",
          message,
          generation,
          o.now());
    }
    List<RaftMember> voters =
        o.membership().members().stream().filter(m -> m.role() == NodeRole.VOTER).toList();
    long online = voters.stream().filter(RaftMember::online).count();
    boolean quorum = online * 2 > voters.size();
    return Conditions.of(
        before,
        ConditionTypes.AVAILABLE,
        Conditions.status(quorum),
        quorum ? "Quorum" : "NoQuorum",
        online + " of " + voters.size() + " voters online",
        generation,
        o.now());
  }

  private static Condition progressing(Observation o, List<Condition> before, Long generation) {
    ScaleStep step = o.scaleStep();
    String reason;
    if (step instanceof ScaleStep.Grow) {
      reason = "ScalingUp";
    } else if (step instanceof ScaleStep.Drain
        || step instanceof ScaleStep.Remove
        || step instanceof ScaleStep.Shrink) {
      reason = "ScalingDown";
    } else if (step instanceof ScaleStep.Replace) {
      reason = "ReplacingMember";
    } else if (step instanceof ScaleStep.Recycle) {
      reason = "RecyclingPod";
    } else if (step instanceof ScaleStep.Wait) {
      reason = "ScaleWaiting";
    } else if (o.roll().isPresent() && o.roll().get() instanceof RollDecision.Restart) {
      reason = "RollingUpdate";
    } else if (o.roll().isPresent() && o.roll().get() instanceof RollDecision.Wait) {
      reason = "RollingUpdateWaiting";
    } else {
      return Conditions.of(
          before,
          ConditionTypes.PROGRESSING,
          Conditions.FALSE,
          "Reconciled",
          "pods, revision and raft membership match the spec",
          generation,
          o.now());
    }
    String message = step instanceof ScaleStep.Done ? o.roll().get().reason() : step.reason();
    return Conditions.of(
        before, ConditionTypes.PROGRESSING, Conditions.TRUE, reason, message, generation, o.now());
  }

  private static Condition degraded(
      Observation o, List<Condition> before, Long generation, Duration notReadyDeadline) {
    List<DegradedCheck.Issue> issues = DegradedCheck.issues(o, notReadyDeadline);
    if (issues.isEmpty()) {
      return Conditions.of(
          before,
          ConditionTypes.DEGRADED,
          Conditions.FALSE,
          "AsExpected",
          "nothing needs attention",
          generation,
          o.now());
    }
    return Conditions.of(
        before,
        ConditionTypes.DEGRADED,
        Conditions.TRUE,
        issues.get(0).reason(),
        issues.stream().map(DegradedCheck.Issue::message).collect(Collectors.joining("; ")),
        generation,
        o.now());
  }

  private static List<Integer> podsWithoutOnlineMember(Observation o) {
    List<Integer> missing = new ArrayList<>();
    for (int ordinal = 0; ordinal < o.desiredReplicas(); ordinal++) {
      String address = ClusterNames.podAddress(o.cr(), ordinal, o.clusterDomain());
      boolean online =
          o.membership().members().stream()
              .anyMatch(m -> m.online() && m.address().equals(address));
      if (!online) {
        missing.add(ordinal);
      }
    }
    return missing;
  }

  private static long count(List<RaftMember> members, NodeRole role) {
    return members.stream().filter(m -> m.role() == role && m.online()).count();
  }

  /** Whether the pod's Ready condition is True. */
  public static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
