package io.dqlite.operator.plan;

import io.dqlite.client.model.NodeRole;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which pod, if any, may be restarted onto the StatefulSet's update revision now (the StatefulSet
 * uses OnDelete; the operator deletes the pod this gate picks). Pure.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>One pod at a time: nothing while a pod is terminating, or while a pod already on the update
 *       revision is not ready (it would also stop a broken revision after its first pod).
 *   <li>A pod may restart only when every <em>other</em> voter is online, so the restart costs at
 *       most one voter and the quorum holds. Exception: a pod whose node is offline, or not a
 *       member, contributes nothing, so restarting it cannot hurt; this lets a rollout replace a
 *       crash-looping revision instead of waiting for it to recover by itself.
 *   <li>Order: pods whose node is offline first, then not-ready pods, then spares (and pods with no
 *       member), stand-bys, voters, and the leader last (its preStop hook hands leadership over);
 *       highest ordinal first among equals.
 * </ol>
 *
 * <p>While the membership is unknown or names no leader, a running pod never restarts: that is also
 * what an election looks like from outside, and a node that seems offline then may be the vote the
 * new leader needs. Only outdated pods whose containers do not run (pending, crash-looping) may
 * restart then, since they cannot be voting: that lets a cluster that never started, or lost its
 * quorum to a broken revision, take a fixed spec.
 */
public final class RollingUpdateGate {

  private RollingUpdateGate() {}

  public static RollDecision decide(
      List<PodState> pods, List<Member> members, String updateRevision) {
    List<PodState> outdated =
        pods.stream().filter(p -> !p.revision().equals(updateRevision)).toList();
    if (outdated.isEmpty()) {
      return new RollDecision.Done();
    }
    Optional<PodState> terminating = pods.stream().filter(PodState::terminating).findFirst();
    if (terminating.isPresent()) {
      return new RollDecision.Wait("pod " + terminating.get().ordinal() + " is terminating");
    }
    if (members.isEmpty() || members.stream().noneMatch(Member::leader)) {
      String unknown =
          members.isEmpty()
              ? "the raft membership is unknown"
              : "no raft leader is known (an election may be under way)";
      return outdated.stream()
          .filter(p -> !p.running())
          .sorted(Comparator.comparingInt(PodState::ordinal).reversed())
          .findFirst()
          .<RollDecision>map(
              p ->
                  new RollDecision.Restart(
                      p.ordinal(),
                      "pod " + p.ordinal() + " is outdated and does not run: it cannot be voting"))
          .orElseGet(
              () -> new RollDecision.Wait(unknown + ": no running pod restarts until one is"));
    }
    Optional<PodState> updatedNotReady =
        pods.stream().filter(p -> p.revision().equals(updateRevision) && !p.ready()).findFirst();
    if (updatedNotReady.isPresent()) {
      return new RollDecision.Wait(
          "pod " + updatedNotReady.get().ordinal() + " runs the update revision but is not ready");
    }

    List<PodState> candidates = outdated.stream().sorted(order(members)).toList();
    String firstRefusal = null;
    for (PodState pod : candidates) {
      Optional<Member> member = memberOf(pod, members);
      boolean contributes = member.isPresent() && member.get().online();
      if (!contributes) {
        return new RollDecision.Restart(
            pod.ordinal(), "pod " + pod.ordinal() + " is outdated and its node is not online");
      }
      List<Member> offlineVoters =
          members.stream()
              .filter(m -> m.isVoter() && !m.online() && m.id() != member.get().id())
              .toList();
      if (offlineVoters.isEmpty()) {
        return new RollDecision.Restart(
            pod.ordinal(), "pod " + pod.ordinal() + " is outdated and every other voter is online");
      }
      if (firstRefusal == null) {
        firstRefusal =
            "voter "
                + offlineVoters.get(0).describe("pod ")
                + " is offline: restarting pod "
                + pod.ordinal()
                + " could lose the quorum";
      }
    }
    return new RollDecision.Wait(firstRefusal);
  }

  /** The member running in a pod: the online one if a ghost of an earlier id shares its address. */
  private static Optional<Member> memberOf(PodState pod, List<Member> members) {
    return members.stream()
        .filter(m -> m.inPod(pod.ordinal()))
        .max(Comparator.comparing(Member::online));
  }

  private static Comparator<PodState> order(List<Member> members) {
    return Comparator.<PodState, Boolean>comparing(
            p -> memberOf(p, members).map(Member::leader).orElse(false))
        .thenComparing(p -> memberOf(p, members).map(Member::online).orElse(false))
        .thenComparing(PodState::ready)
        .thenComparingInt(p -> memberOf(p, members).map(m -> rank(m.role())).orElse(0))
        .thenComparing(Comparator.comparingInt(PodState::ordinal).reversed());
  }

  private static int rank(NodeRole role) {
    return switch (role) {
      case SPARE -> 0;
      case STANDBY -> 1;
      case VOTER -> 2;
    };
  }
}
