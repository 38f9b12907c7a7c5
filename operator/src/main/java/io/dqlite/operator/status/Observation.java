package io.dqlite.operator.status;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.ScaleDownStatus;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.plan.RollDecision;
import io.dqlite.operator.plan.ScaleStep;
import io.dqlite.sidecar.roles.RolesConfig;
import io.dqlite.sidecar.roles.SettledRoles;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one reconciliation observed and decided, from which the status is computed.
 *
 * @param cr the resource as reconciled (its status is the previous one)
 * @param statefulSet the StatefulSet, if it exists
 * @param pods the cluster's pods
 * @param membership the raft membership as read
 * @param nodes the Kubernetes nodes
 * @param scaleStep what the scale planner chose
 * @param scaleBookkeeping the planner's {@code status.scaleDown}, null when nothing is pending
 * @param roll what the rolling-update gate chose; empty when it was not consulted
 * @param failure the step attempted in this reconciliation, if it failed: what and why
 * @param tlsProblem what is wrong with the user's TLS Secret, if anything
 * @param clusterDomain the cluster's DNS domain
 * @param now the reconciliation's time
 * @param identityProblem what the cluster identity blocks, if anything ({@link
 *     io.dqlite.operator.plan.BootstrapDecision})
 */
public record Observation(
    DqliteCluster cr,
    Optional<StatefulSet> statefulSet,
    List<Pod> pods,
    Membership membership,
    NodeFacts nodes,
    ScaleStep scaleStep,
    ScaleDownStatus scaleBookkeeping,
    Optional<RollDecision> roll,
    Optional<String> failure,
    Optional<DegradedCheck.Issue> tlsProblem,
    String clusterDomain,
    Instant now,
    Optional<DegradedCheck.Issue> identityProblem) {

  public Observation {
    Objects.requireNonNull(cr, "cr");
    Objects.requireNonNull(membership, "membership");
    Objects.requireNonNull(scaleStep, "scaleStep");
    Objects.requireNonNull(tlsProblem, "tlsProblem");
    pods = List.copyOf(pods);
    Objects.requireNonNull(identityProblem, "identityProblem");
  }

  /** Without an identity problem. */
  public Observation(
      DqliteCluster cr,
      Optional<StatefulSet> statefulSet,
      List<Pod> pods,
      Membership membership,
      NodeFacts nodes,
      ScaleStep scaleStep,
      ScaleDownStatus scaleBookkeeping,
      Optional<RollDecision> roll,
      Optional<String> failure,
      Optional<DegradedCheck.Issue> tlsProblem,
      String clusterDomain,
      Instant now) {
    this(
        cr,
        statefulSet,
        pods,
        membership,
        nodes,
        scaleStep,
        scaleBookkeeping,
        roll,
        failure,
        tlsProblem,
        clusterDomain,
        now,
        Optional.empty());
  }

  /** {@code spec.replicas}. */
  public int desiredReplicas() {
    return cr.getSpec().getReplicas();
  }

  /** How many voters the sidecars' role algorithm settles on with every pod online. */
  public int expectedVoters() {
    return settled().voters();
  }

  /** How many stand-bys it settles on. */
  public int expectedStandBys() {
    return settled().standBys();
  }

  /**
   * Where the sidecars' role algorithm ({@link SettledRoles}, the code the sidecars run) settles
   * for {@code spec.replicas} nodes: with one or two, a single voter (go-dqlite never runs an even
   * pair of voters, where losing either loses the quorum); from three on, {@code voters} or every
   * node if fewer, then up to {@code standBys} stand-bys.
   */
  private SettledRoles settled() {
    return SettledRoles.of(
        RolesConfig.of(cr.getSpec().getVoters(), cr.getSpec().getStandBys()), desiredReplicas());
  }

  /** The pods not being deleted. */
  public List<Pod> livePods() {
    return pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }
}
