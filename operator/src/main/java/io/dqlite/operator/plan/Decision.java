package io.dqlite.operator.plan;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.RetentionPolicy;
import io.dqlite.operator.crd.ScaleDownStatus;
import io.dqlite.operator.crd.StorageSpec;
import io.dqlite.operator.dependents.ClusterNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What one reconciliation does, decided from observations alone. Pure.
 *
 * <ol>
 *   <li>The replacement of a stale member ({@link Replacement}): when one can be removed now, that
 *       is the step, before any scale step (a stale voter holds the quorum every other step needs);
 *       when one exists but cannot be removed yet, its wait is reported if the scale plan has
 *       nothing to do.
 *   <li>The scale plan ({@link ScalePlanner}). When its next step changes raft (a drain or a
 *       removal) and its bookkeeping is not yet in the status on the API server (as the server last
 *       answered a write, not as this operator meant to write it), the bookkeeping is written first
 *       and the step waits for the next reconciliation ({@link #recordFirst}): after an operator
 *       restart the status then always knows which members it set out to remove.
 *   <li>The rolling update ({@link RollingUpdateGate}), only when no scale step is to be taken (the
 *       plan is done or waiting) and the StatefulSet reports an update revision. Without a known
 *       leader only pods whose containers do not run may restart (the gate says why the others
 *       wait). Nothing restarts while a pod below the StatefulSet's count is missing (deleted, not
 *       yet recreated): it is restarting.
 * </ol>
 *
 * @param plan the scale plan
 * @param recordFirst write {@code plan.bookkeeping()} before taking {@code plan.next()}
 * @param roll the gate's answer, empty when it was not consulted
 */
public record Decision(ScalePlan plan, boolean recordFirst, Optional<RollDecision> roll) {

  /** The label the StatefulSet controller puts on each pod: the revision it was created from. */
  public static final String REVISION_LABEL = "controller-revision-hash";

  /** Decides with the resource's {@code status.scaleDown} taken as on the API server. */
  public static Decision decide(
      DqliteCluster cr, Optional<StatefulSet> statefulSet, List<Pod> pods, List<Member> members) {
    return decide(
        cr,
        statefulSet,
        pods,
        members,
        List.of(),
        cr.getStatus() == null ? null : cr.getStatus().getScaleDown(),
        Set.of());
  }

  /**
   * Decides.
   *
   * @param stale the members whose pod reports another node id ({@link Replacement})
   * @param confirmed the {@code status.scaleDown} the API server is known to hold: a raft-changing
   *     step is taken only when the plan's bookkeeping is exactly that (else it is recorded first)
   * @param claimsLeft the ordinals of the bookkeeping's removals whose data claim still exists
   */
  public static Decision decide(
      DqliteCluster cr,
      Optional<StatefulSet> statefulSet,
      List<Pod> pods,
      List<Member> members,
      List<Replacement.Stale> stale,
      ScaleDownStatus confirmed,
      Set<Integer> claimsLeft) {
    int replicas = statefulSet.map(s -> s.getSpec().getReplicas()).orElse(0);
    ScaleDownStatus stored = cr.getStatus() == null ? null : cr.getStatus().getScaleDown();
    ScalePlan plan =
        ScalePlanner.plan(
            cr.getSpec().getReplicas(),
            replicas,
            members,
            stored,
            retainedWhenScaled(cr),
            claimsLeft);
    Optional<ScaleStep> replacement = Replacement.next(cr.getSpec().getReplicas(), members, stale);
    if (replacement.isPresent()
        && (replacement.get() instanceof ScaleStep.Replace
            || plan.next() instanceof ScaleStep.Done)) {
      plan = new ScalePlan(replacement.get(), plan.condemned(), plan.bookkeeping());
      if (replacement.get() instanceof ScaleStep.Replace) {
        return new Decision(plan, false, Optional.empty());
      }
    }
    ScaleStep next = plan.next();
    boolean changesRaft = next instanceof ScaleStep.Drain || next instanceof ScaleStep.Remove;
    if (changesRaft && !same(plan.bookkeeping(), confirmed)) {
      return new Decision(plan, true, Optional.empty());
    }
    Optional<String> updateRevision =
        statefulSet.map(s -> s.getStatus()).map(s -> s.getUpdateRevision());
    boolean idle = next instanceof ScaleStep.Done || next instanceof ScaleStep.Wait;
    if (!idle || updateRevision.isEmpty()) {
      return new Decision(plan, false, Optional.empty());
    }
    List<PodState> states = podStates(cr, pods, replicas);
    Optional<Integer> missing = missingPod(states, replicas);
    if (missing.isPresent()
        && states.stream().anyMatch(p -> !p.revision().equals(updateRevision.get()))) {
      // Deleted and not yet recreated: it is restarting as surely as a terminating pod, but the
      // gate cannot see it. A restarted leader was demoted to spare by its handover, so the
      // remaining voters alone look complete, and restarting one of them would lose the quorum.
      return new Decision(
          plan,
          false,
          Optional.of(
              new RollDecision.Wait(
                  "pod " + missing.get() + " is being recreated: one pod restarts at a time")));
    }
    boolean haveLeader = members.stream().anyMatch(Member::leader);
    if (!haveLeader && states.stream().anyMatch(PodState::ready)) {
      // Ready pods see a leader; the operator does not: its view is what is broken, and the
      // gate would take every pod for one that contributes nothing.
      return new Decision(
          plan,
          false,
          Optional.of(
              new RollDecision.Wait(
                  "the membership cannot be read while pods are ready: no restart blind")));
    }
    return new Decision(
        plan, false, Optional.of(RollingUpdateGate.decide(states, members, updateRevision.get())));
  }

  /** The lowest ordinal below the StatefulSet's count that has no pod. */
  private static Optional<Integer> missingPod(List<PodState> states, int replicas) {
    return java.util.stream.IntStream.range(0, replicas)
        .filter(i -> states.stream().noneMatch(p -> p.ordinal() == i))
        .boxed()
        .findFirst();
  }

  /** The pods of ordinals below the StatefulSet's count, as the gate sees them. */
  static List<PodState> podStates(DqliteCluster cr, List<Pod> pods, int replicas) {
    return pods.stream()
        .map(p -> Map.entry(ClusterNames.podOrdinal(cr, p.getMetadata().getName()), p))
        .filter(e -> e.getKey().isPresent() && e.getKey().getAsInt() < replicas)
        .sorted(Comparator.comparingInt(e -> e.getKey().getAsInt()))
        .map(e -> state(e.getKey(), e.getValue()))
        .toList();
  }

  private static PodState state(OptionalInt ordinal, Pod pod) {
    String revision =
        pod.getMetadata().getLabels() == null
            ? ""
            : Objects.requireNonNullElse(pod.getMetadata().getLabels().get(REVISION_LABEL), "");
    boolean ready =
        pod.getStatus() != null
            && pod.getStatus().getConditions() != null
            && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    boolean running =
        pod.getStatus() != null
            && "Running".equals(pod.getStatus().getPhase())
            && (pod.getStatus().getContainerStatuses() == null
                || pod.getStatus().getContainerStatuses().stream()
                    .allMatch(c -> c.getState() == null || c.getState().getRunning() != null));
    return new PodState(
        ordinal.getAsInt(),
        revision,
        ready,
        pod.getMetadata().getDeletionTimestamp() != null,
        running);
  }

  /** Whether the claims of pods scaled away are kept ({@code storage.retention.whenScaled}). */
  public static boolean retainedWhenScaled(DqliteCluster cr) {
    StorageSpec storage = cr.getSpec().getStorage();
    return storage != null
        && storage.getRetention() != null
        && storage.getRetention().getWhenScaled() == RetentionPolicy.RETAIN;
  }

  /** Whether two bookkeeping entries say the same (null and empty alike). */
  public static boolean same(ScaleDownStatus a, ScaleDownStatus b) {
    boolean aEmpty = a == null || a.getRemovals() == null || a.getRemovals().isEmpty();
    boolean bEmpty = b == null || b.getRemovals() == null || b.getRemovals().isEmpty();
    if (aEmpty || bEmpty) {
      return aEmpty == bEmpty;
    }
    return Serialization.asJson(a).equals(Serialization.asJson(b));
  }
}
