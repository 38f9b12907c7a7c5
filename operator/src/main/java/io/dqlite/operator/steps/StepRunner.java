package io.dqlite.operator.steps;

import io.dqlite.client.model.DqliteException;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.ScaleDownStatus;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.kube.WorkloadActions;
import io.dqlite.operator.membership.AdminToken;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.membership.PodEndpoints;
import io.dqlite.operator.membership.RaftProtocol;
import io.dqlite.operator.membership.SidecarAdmin;
import io.dqlite.operator.membership.SidecarAdmin.HandoverResult;
import io.dqlite.operator.plan.Decision;
import io.dqlite.operator.plan.MemberIds;
import io.dqlite.operator.plan.RollDecision;
import io.dqlite.operator.plan.ScalePlanner;
import io.dqlite.operator.plan.ScaleStep;
import io.dqlite.operator.status.ClusterEvent;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the one step a {@link Decision} chose, through the sidecars, the dqlite protocol and the
 * Kubernetes API. Failures are returned, not thrown: the status reports them and the next
 * reconciliation plans again from fresh observations. Grow and Shrink are applied by the
 * StatefulSet dependent; here they only produce their Event.
 */
public final class StepRunner {

  private static final Logger log = LoggerFactory.getLogger(StepRunner.class);

  private final SidecarAdmin sidecars;
  private final RaftProtocol raft;
  private final WorkloadActions workloads;
  private final String clusterDomain;
  private final CatchUpProbe catchUp;

  public StepRunner(
      SidecarAdmin sidecars, RaftProtocol raft, WorkloadActions workloads, String clusterDomain) {
    this.sidecars = sidecars;
    this.raft = raft;
    this.workloads = workloads;
    this.clusterDomain = clusterDomain;
    this.catchUp = new CatchUpProbe(sidecars, clusterDomain);
  }

  /**
   * The rolling update's catch-up gate ({@link io.dqlite.operator.plan.CatchUpGate}): when the
   * decision restarts a pod, the members already restarted must have reached the raft index the
   * leader had when asked (asked first), else the restart becomes a wait saying why. Waits up to
   * {@link CatchUpProbe#WAIT} for them. Any other decision is returned as it is.
   *
   * @param updateRevision the StatefulSet's update revision
   */
  public Decision gateOnCatchUp(
      DqliteCluster cr,
      Decision decision,
      List<Pod> pods,
      Membership membership,
      Optional<String> updateRevision,
      AdminToken token) {
    if (decision.roll().isEmpty()
        || !(decision.roll().get() instanceof RollDecision.Restart restart)
        || updateRevision.isEmpty()) {
      return decision;
    }
    io.dqlite.operator.plan.CatchUpGate.Verdict verdict;
    try {
      verdict = catchUp.check(cr, pods, membership, updateRevision.get(), token);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      verdict = new io.dqlite.operator.plan.CatchUpGate.Verdict(false, "interrupted");
    }
    String name = cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
    if (verdict.caughtUp()) {
      log.debug("rolling update of {}: {}", name, verdict.reason());
      return decision;
    }
    String why =
        "pod " + restart.ordinal() + " waits: " + verdict.reason() + " (asked again next pass)";
    log.info("rolling update of {}: {}", name, why);
    return new Decision(
        decision.plan(), decision.recordFirst(), Optional.of(new RollDecision.Wait(why)));
  }

  /**
   * Takes the decided step.
   *
   * @param statefulSetReplicas the StatefulSet's count before this reconciliation, or empty
   */
  public StepResult take(
      DqliteCluster cr,
      Decision decision,
      OptionalInt statefulSetReplicas,
      List<Pod> pods,
      Membership membership,
      AdminToken token) {
    ScaleDownStatus bookkeeping = decision.plan().bookkeeping();
    if (decision.recordFirst()) {
      return new StepResult(true, Optional.empty(), List.of(), bookkeeping);
    }
    ScaleStep step = decision.plan().next();
    String name = cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
    try {
      if (step instanceof ScaleStep.Drain drain) {
        return handover(
            cr,
            drain.ordinal(),
            drain.id(),
            pods,
            token,
            "ScaleDown",
            drain.reason(),
            bookkeeping,
            true);
      } else if (step instanceof ScaleStep.Remove remove) {
        return remove(cr, remove, pods, membership, bookkeeping);
      } else if (step instanceof ScaleStep.Replace replace) {
        return replace(cr, replace, pods, membership, bookkeeping);
      } else if (step instanceof ScaleStep.Recycle recycle) {
        return recycle(cr, recycle, statefulSetReplicas, pods, bookkeeping);
      } else if (step instanceof ScaleStep.Grow grow && statefulSetReplicas.isPresent()) {
        return scaled(
            statefulSetReplicas.getAsInt(), grow.replicas(), "ScaleUp", grow.reason(), bookkeeping);
      } else if (step instanceof ScaleStep.Shrink shrink && statefulSetReplicas.isPresent()) {
        return scaled(
            statefulSetReplicas.getAsInt(),
            shrink.replicas(),
            "ScaleDown",
            shrink.reason(),
            bookkeeping);
      }
      if (decision.roll().isPresent() && decision.roll().get() instanceof RollDecision.Restart r) {
        return restart(cr, r, pods, membership, token, bookkeeping);
      }
      return StepResult.idle(bookkeeping);
    } catch (KubernetesClientException e) {
      String failure = "step for " + name + " failed: " + e.getMessage();
      log.warn("{}", failure);
      return new StepResult(
          false,
          Optional.of(failure),
          List.of(ClusterEvent.warning("StepFailed", "Reconcile", failure)),
          bookkeeping);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new StepResult(false, Optional.of("interrupted"), List.of(), bookkeeping);
    }
  }

  /** Asks pod {@code ordinal}'s sidecar to hand over node {@code nodeId}, which the pod runs. */
  private StepResult handover(
      DqliteCluster cr,
      int ordinal,
      long nodeId,
      List<Pod> pods,
      AdminToken token,
      String reason,
      String why,
      ScaleDownStatus bookkeeping,
      boolean required)
      throws InterruptedException {
    String pod = ClusterNames.podName(cr, ordinal);
    Optional<URI> admin = pod(cr, pods, ordinal).flatMap(PodEndpoints::admin);
    String failure;
    if (admin.isEmpty()) {
      failure = "hand over " + pod + ": the pod has no IP";
    } else {
      try {
        // A sidecar running another node (the pod IP reused) refuses with 409.
        HandoverResult result =
            sidecars.handover(admin.get(), token, nodeId, leaving(bookkeeping, nodeId));
        if (result.succeeded()) {
          log.info("handover of {}: {} ({})", pod, result.describe(), why);
          return new StepResult(
              true,
              Optional.empty(),
              List.of(
                  ClusterEvent.normal(
                      reason, "Handover", pod + " " + result.describe() + ": " + why)),
              bookkeeping);
        }
        failure = "hand over " + pod + ": " + result.describe();
      } catch (IOException e) {
        failure = "hand over " + pod + ": " + e.getMessage();
      }
    }
    log.warn("{}", failure);
    return new StepResult(
        !required,
        required ? Optional.of(failure) : Optional.empty(),
        List.of(ClusterEvent.warning("HandoverFailed", "Handover", failure)),
        bookkeeping);
  }

  /**
   * The members the scale-down is removing, other than {@code nodeId}: a handover must not make
   * them leader or give them a role they would lose again at once.
   */
  static java.util.Set<Long> leaving(ScaleDownStatus bookkeeping, long nodeId) {
    java.util.Set<Long> ids = new java.util.TreeSet<>();
    if (bookkeeping == null || bookkeeping.getRemovals() == null) {
      return ids;
    }
    for (ScaleDownStatus.Removal r : bookkeeping.getRemovals()) {
      try {
        long id = MemberIds.parse(r.getId());
        if (id != nodeId && !Boolean.TRUE.equals(r.getRecycled())) {
          ids.add(id);
        }
      } catch (IllegalArgumentException e) {
        log.warn("scale-down record names an invalid id, not excluded: {}", e.getMessage());
      }
    }
    return ids;
  }

  private StepResult remove(
      DqliteCluster cr,
      ScaleStep.Remove remove,
      List<Pod> pods,
      Membership membership,
      ScaleDownStatus bookkeeping) {
    return removeThroughLeader(
        cr,
        pods,
        membership,
        bookkeeping,
        remove.id(),
        remove.ordinal(),
        "member",
        "ScaleDown",
        "RemoveFailed",
        remove.reason());
  }

  /** Removes a stale member through the leader, so that the new node at its address can join. */
  private StepResult replace(
      DqliteCluster cr,
      ScaleStep.Replace replace,
      List<Pod> pods,
      Membership membership,
      ScaleDownStatus bookkeeping) {
    return removeThroughLeader(
        cr,
        pods,
        membership,
        bookkeeping,
        replace.staleId(),
        replace.ordinal(),
        "stale member",
        "ReplaceMember",
        "ReplaceFailed",
        replace.reason());
  }

  /**
   * Removes raft member {@code id} (of pod {@code ordinal}) through the leader; the Event is {@code
   * done} (action Remove) or the Warning {@code failed}.
   */
  private StepResult removeThroughLeader(
      DqliteCluster cr,
      List<Pod> pods,
      Membership membership,
      ScaleDownStatus bookkeeping,
      long id,
      int ordinal,
      String what,
      String done,
      String failed,
      String reason) {
    String member = what + " " + MemberIds.hex(id) + " (" + ClusterNames.podName(cr, ordinal) + ")";
    Membership.Leader leader = membership.leader().orElseThrow();
    String dial =
        PodEndpoints.dial(leader.address(), PodEndpoints.dialAddresses(cr, pods, clusterDomain));
    try {
      raft.remove(cr, dial, id);
    } catch (DqliteException e) {
      String failure =
          "remove " + member + " through the leader at " + dial + ": " + e.getMessage();
      log.warn("{}", failure);
      return new StepResult(
          false,
          Optional.of(failure),
          List.of(ClusterEvent.warning(failed, "Remove", failure)),
          bookkeeping);
    }
    log.info("removed {} of {}: {}", member, cr.getMetadata().getName(), reason);
    return new StepResult(
        true,
        Optional.empty(),
        List.of(ClusterEvent.normal(done, "Remove", "removed " + member + " from raft: " + reason)),
        bookkeeping);
  }

  private StepResult recycle(
      DqliteCluster cr,
      ScaleStep.Recycle recycle,
      OptionalInt statefulSetReplicas,
      List<Pod> pods,
      ScaleDownStatus bookkeeping) {
    int ordinal = recycle.ordinal();
    workloads.deleteClaim(cr, ordinal);
    boolean podRuns = statefulSetReplicas.isPresent() && ordinal < statefulSetReplicas.getAsInt();
    if (podRuns) {
      Optional<StepResult> refused = evict(cr, ordinal, pods, "recycle", bookkeeping);
      if (refused.isPresent()) {
        return refused.get(); // the claim waits for its pod (pvc-protection); asked again
      }
    }
    String what =
        ClusterNames.dataClaim(cr, ordinal)
            + (podRuns ? " and pod " + ClusterNames.podName(cr, ordinal) : "");
    log.info("recycled {} of {}: {}", what, cr.getMetadata().getName(), recycle.reason());
    return new StepResult(
        true,
        Optional.empty(),
        List.of(
            ClusterEvent.normal(
                "RecyclePod", "Delete", "deleted " + what + ": " + recycle.reason())),
        ScalePlanner.markRecycled(bookkeeping, ordinal));
  }

  private static StepResult scaled(
      int from, int to, String reason, String why, ScaleDownStatus bookkeeping) {
    if (from == to) {
      return StepResult.idle(bookkeeping);
    }
    return new StepResult(
        true,
        Optional.empty(),
        List.of(
            ClusterEvent.normal(
                reason, "Scale", "StatefulSet replicas " + from + " → " + to + ": " + why)),
        bookkeeping);
  }

  private StepResult restart(
      DqliteCluster cr,
      RollDecision.Restart restart,
      List<Pod> pods,
      Membership membership,
      AdminToken token,
      ScaleDownStatus bookkeeping)
      throws InterruptedException {
    int ordinal = restart.ordinal();
    String pod = ClusterNames.podName(cr, ordinal);
    List<ClusterEvent> events = new ArrayList<>();
    String address = ClusterNames.podAddress(cr, ordinal, clusterDomain);
    Optional<Membership.Leader> leader =
        membership.leader().filter(l -> l.address().equals(address));
    if (leader.isPresent()) {
      // The preStop hook hands over too; asking first moves leadership while the pod still
      // serves, and a refusal does not hold the rollout back.
      events.addAll(
          handover(
                  cr,
                  ordinal,
                  leader.get().id(),
                  pods,
                  token,
                  "RollingUpdate",
                  "it leads and restarts next",
                  bookkeeping,
                  false)
              .events());
    }
    Optional<StepResult> refused = evict(cr, ordinal, pods, "restart", bookkeeping);
    if (refused.isPresent()) {
      events.addAll(refused.get().events());
      return new StepResult(
          refused.get().acted(), refused.get().failure(), events, refused.get().bookkeeping());
    }
    log.info(
        "rolling update of {}: evicted {} ({})", cr.getMetadata().getName(), pod, restart.reason());
    events.add(
        ClusterEvent.normal(
            "RollingUpdate",
            "EvictPod",
            "evicted " + pod + " to restart it on the update revision: " + restart.reason()));
    return new StepResult(true, Optional.empty(), events, bookkeeping);
  }

  /**
   * Evicts the pod the decision saw (its UID), so that the PodDisruptionBudget holds for the
   * operator as for a node drain.
   *
   * @return empty when the pod is evicted or gone; else what this pass reports instead of acting
   */
  private Optional<StepResult> evict(
      DqliteCluster cr, int ordinal, List<Pod> pods, String why, ScaleDownStatus bookkeeping) {
    String pod = ClusterNames.podName(cr, ordinal);
    Optional<String> uid = pod(cr, pods, ordinal).map(p -> p.getMetadata().getUid());
    if (uid.isEmpty()) {
      return Optional.empty(); // not in the cache: nothing seen, nothing to evict
    }
    WorkloadActions.Eviction outcome = workloads.evictPod(cr, ordinal, uid.get());
    switch (outcome) {
      case EVICTED, GONE -> {
        return Optional.empty();
      }
      case REFUSED_BY_BUDGET -> {
        // The status's Degraded condition carries it (an Event when it turns on, not every pass).
        String failure =
            "evict "
                + pod
                + " to "
                + why
                + " it: refused, a PodDisruptionBudget allows no disruption now; asked again"
                + " at the next pass";
        log.info("{}", failure);
        return Optional.of(new StepResult(false, Optional.of(failure), List.of(), bookkeeping));
      }
      default -> {
        String note =
            "not evicting "
                + pod
                + ": it was recreated (UID "
                + uid.get()
                + " is gone) since the decision; the next pass decides again";
        log.info("{}", note);
        return Optional.of(
            new StepResult(
                false,
                Optional.empty(),
                List.of(ClusterEvent.normal("EvictionSkipped", "Evict", note)),
                bookkeeping));
      }
    }
  }

  private static Optional<Pod> pod(DqliteCluster cr, List<Pod> pods, int ordinal) {
    String name = ClusterNames.podName(cr, ordinal);
    return pods.stream().filter(p -> name.equals(p.getMetadata().getName())).findFirst();
  }
}
