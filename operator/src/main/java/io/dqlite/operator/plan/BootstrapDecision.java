package io.dqlite.operator.plan;

import io.dqlite.operator.crd.ClusterIdentityStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One cluster per name, ever: which identity a cluster has and whether a pod may bootstrap it.
 * Pure.
 *
 * <p>The danger it closes: a DqliteCluster deleted (its claims are retained by default) and
 * re-created after pod 0's volume was lost. Pod 0, on an empty volume and with no status telling it
 * otherwise, would bootstrap a new cluster next to the old members on the other claims: two
 * clusters under one name. So the identity is recorded in the status before the first pod starts,
 * every pod is started with it (each writes it into its data directory and refuses a directory
 * holding another), and every claim carries it as a label. A resource that finds no identity in its
 * status looks at the claims of its name:
 *
 * <ul>
 *   <li>none: a new cluster, a fresh identity; pod 0 may bootstrap;
 *   <li>claims with one identity (or with none: volumes from before identities): that identity (or
 *       a fresh one) is <em>adopted</em>: no pod may bootstrap, every pod joins through every
 *       other, so pods with data restart as the members they were and pods without join them;
 *   <li>claims naming two or more identities: blocked, no pod starts, until {@code
 *       spec.recovery.clusterId} names the one to keep (or the others' claims are deleted).
 * </ul>
 *
 * A StatefulSet that already exists without a recorded identity is this resource's own (an operator
 * upgrade): a fresh identity, adopted if the cluster was bootstrapped. In every case the identity
 * is recorded first ({@link Outcome#recordFirst}): no pod is created and nothing is started with an
 * identity the API server does not hold, since a failed write would make the next pass choose
 * another.
 */
public final class BootstrapDecision {

  private BootstrapDecision() {}

  /**
   * A claim named like one of this cluster's data claims.
   *
   * @param ordinal the pod ordinal in its name
   * @param name the claim's name
   * @param clusterId its {@code dqlite.io/cluster-id} label, if any
   */
  public record Claim(int ordinal, String name, Optional<String> clusterId) {
    public Claim {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(clusterId, "clusterId");
    }
  }

  /** Why the cluster's pods cannot proceed: a Degraded reason and its message. */
  public record Issue(String reason, String message) {}

  /**
   * What the operator knows.
   *
   * @param recorded {@code status.identity}, if the API server holds one
   * @param bootstrapped {@code status.bootstrapped}: a leader was seen
   * @param statefulSetExists whether the cluster's StatefulSet exists
   * @param claims the claims of this cluster's name; empty when they could not be read
   * @param recovery {@code spec.recovery.clusterId}
   * @param leaderKnown whether this pass found a raft leader
   * @param freshId an identity to use if a new one is needed
   */
  public record Inputs(
      Optional<ClusterIdentityStatus> recorded,
      boolean bootstrapped,
      boolean statefulSetExists,
      Optional<List<Claim>> claims,
      Optional<String> recovery,
      boolean leaderKnown,
      String freshId) {}

  /**
   * The decision.
   *
   * @param identity what {@code status.identity} says after this pass; empty when blocked
   * @param recordFirst the identity is not on the API server yet: record it, and create no pod and
   *     take no step in this pass
   * @param problem why the cluster cannot proceed, or what blocks its pods, for Degraded
   */
  public record Outcome(
      Optional<ClusterIdentityStatus> identity, boolean recordFirst, Optional<Issue> problem) {}

  /** Decides. */
  public static Outcome decide(Inputs in) {
    if (in.recorded().isPresent() && in.recorded().get().getClusterId() != null) {
      ClusterIdentityStatus id = in.recorded().get();
      return new Outcome(Optional.of(id), false, recordedProblem(in, id));
    }
    if (in.recovery().isPresent()) {
      boolean existing =
          in.bootstrapped()
              || in.statefulSetExists()
              || in.claims().map(c -> !c.isEmpty()).orElse(true);
      return record(new ClusterIdentityStatus(in.recovery().get(), existing));
    }
    if (in.statefulSetExists()) {
      return record(new ClusterIdentityStatus(in.freshId(), in.bootstrapped()));
    }
    if (in.claims().isEmpty()) {
      return new Outcome(
          Optional.empty(),
          true,
          Optional.of(
              new Issue(
                  "ClaimsUnreadable",
                  "the claims of this cluster's name cannot be read, so whether its volumes hold"
                      + " an earlier cluster is unknown: no pod is created until they can be")));
    }
    List<Claim> claims = in.claims().get();
    if (claims.isEmpty()) {
      return record(new ClusterIdentityStatus(in.freshId(), in.bootstrapped()));
    }
    TreeSet<String> ids =
        claims.stream()
            .flatMap(c -> c.clusterId().stream())
            .collect(Collectors.toCollection(TreeSet::new));
    if (ids.size() > 1) {
      return new Outcome(
          Optional.empty(),
          true,
          Optional.of(
              new Issue(
                  "ClusterIdConflict",
                  "the claims of this name hold "
                      + ids.size()
                      + " different clusters ("
                      + describe(claims)
                      + "): no pod is started. Set spec.recovery.clusterId to the one to keep"
                      + " (pods on the others' claims refuse to start until those claims are"
                      + " deleted), or delete the claims of the clusters not to keep")));
    }
    return record(new ClusterIdentityStatus(ids.isEmpty() ? in.freshId() : ids.first(), true));
  }

  private static Outcome record(ClusterIdentityStatus identity) {
    return new Outcome(Optional.of(identity), true, Optional.empty());
  }

  /** With a recorded identity: what blocks pods, if anything. */
  private static Optional<Issue> recordedProblem(Inputs in, ClusterIdentityStatus id) {
    List<Claim> claims = in.claims().orElse(List.of());
    List<Claim> foreign =
        claims.stream()
            .filter(
                c -> c.clusterId().isPresent() && !c.clusterId().get().equals(id.getClusterId()))
            .toList();
    if (!foreign.isEmpty()) {
      return Optional.of(
          new Issue(
              "ForeignVolumes",
              describe(foreign)
                  + (foreign.size() == 1 ? " holds" : " hold")
                  + " another cluster than this one ("
                  + id.getClusterId()
                  + "): such a pod refuses to start. Delete the claim if its data is not to be"
                  + " kept"));
    }
    if (id.adopted() && !in.bootstrapped() && !in.leaderKnown()) {
      String holders =
          claims.stream()
              .filter(c -> c.clusterId().map(id.getClusterId()::equals).orElse(true))
              .map(Claim::name)
              .collect(Collectors.joining(", "));
      return Optional.of(
          new Issue(
              "BootstrapRefused",
              "cluster "
                  + id.getClusterId()
                  + " was adopted from volumes that existed before this DqliteCluster"
                  + (holders.isEmpty() ? "" : " (its claims now: " + holders + ")")
                  + ", so no pod bootstraps a new one: the pods holding its data must elect a"
                  + " leader, and pods on new volumes join them. If too few of them are left for"
                  + " a quorum, restore the lost volumes, or delete every claim of this name (and"
                  + " this DqliteCluster) to start a new, empty cluster"));
    }
    return Optional.empty();
  }

  private static String describe(List<Claim> claims) {
    return claims.stream()
        .sorted(Comparator.comparingInt(Claim::ordinal))
        .map(c -> c.name() + ": " + c.clusterId().orElse("no identity"))
        .collect(Collectors.joining(", "));
  }
}
