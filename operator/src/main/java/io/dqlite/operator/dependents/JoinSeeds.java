package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may bootstrap the dqlite cluster, decided through the join seeds every pod reads from the
 * {@link ClusterNames#joinConfigMap join ConfigMap} ({@code DQLITE_JOIN}) when it starts.
 *
 * <p>go-dqlite's rule: a node starting with no data directory and no join addresses bootstraps a
 * new cluster with the fixed bootstrap id; with join addresses it joins through them. Exactly one
 * node may ever bootstrap. The contract with the sidecar: it drops its own address from {@code
 * DQLITE_JOIN}, and bootstraps only if nothing is left. With that:
 *
 * <ul>
 *   <li>Until the operator has seen a leader ({@code status.bootstrapped} unset), the seeds are pod
 *       0 alone: pod 0 (empty directory, nothing left after dropping itself) bootstraps, every
 *       other pod joins through it and retries until it answers.
 *   <li>From then on the seeds are every pod. Pod 0 restarting on an empty volume finds other seeds
 *       and joins as a new member instead of bootstrapping a second cluster under the same name; so
 *       does any pod whose volume was recycled.
 * </ul>
 *
 * <p>The seeds live in a ConfigMap, not in the pod template, so that switching from the first form
 * to the second changes no pod revision and restarts no pod. A pod with a data directory ignores
 * the seeds altogether (go-dqlite reads them only on the first start).
 *
 * <p>Failure cases: (1) pod 0 losing its volume after bootstrap rejoins with a new id; its old
 * member is replaced by the operator. (2) Every volume lost after bootstrap: no pod may bootstrap
 * ({@link #clusterExists} tells the sidecars so, which covers a 1-replica cluster, whose seeds are
 * pod 0 alone), the cluster waits for a person's decision (restore, or recreate the resource and
 * its claims) rather than silently starting empty. (3) The status lost (the resource re-created
 * over retained volumes): the identity on the claims is adopted and every pod joins ({@link
 * io.dqlite.operator.plan.BootstrapDecision}), so pod 0 on an empty volume joins the old members
 * instead of bootstrapping apart from them. (4) A pod losing its volume between bootstrap and the
 * operator's next status update would bootstrap again; that window is one reconciliation long.
 */
public final class JoinSeeds {

  /** The key of the seeds in the join ConfigMap. */
  public static final String KEY = "join";

  private JoinSeeds() {}

  /**
   * The seed addresses for a cluster.
   *
   * @param bootstrapped whether a leader has ever been seen ({@code status.bootstrapped})
   */
  public static List<String> seeds(DqliteCluster cr, boolean bootstrapped, String clusterDomain) {
    int count = bootstrapped ? Math.max(1, cr.getSpec().getReplicas()) : 1;
    List<String> seeds = new ArrayList<>(count);
    for (int ordinal = 0; ordinal < count; ordinal++) {
      seeds.add(ClusterNames.podAddress(cr, ordinal, clusterDomain));
    }
    return seeds;
  }

  /** The seeds as {@code DQLITE_JOIN} takes them: comma-separated. */
  public static String joinValue(DqliteCluster cr, boolean bootstrapped, String clusterDomain) {
    return String.join(",", seeds(cr, bootstrapped, clusterDomain));
  }

  /** The key of the cluster identity in the join ConfigMap (absent until recorded). */
  public static final String CLUSTER_ID_KEY = "cluster-id";

  /** The key of whether the cluster exists (no pod may bootstrap): "true" or "false". */
  public static final String CLUSTER_EXISTS_KEY = "cluster-exists";

  /**
   * Whether every pod must join, none may bootstrap: a leader was seen, or the identity was adopted
   * from volumes that existed before this resource ({@link
   * io.dqlite.operator.plan.BootstrapDecision}).
   */
  public static boolean joinOnly(DqliteCluster cr) {
    return bootstrapped(cr)
        || (cr.getStatus() != null
            && cr.getStatus().getIdentity() != null
            && cr.getStatus().getIdentity().adopted());
  }

  /** The recorded cluster identity, if the status holds one. */
  public static java.util.Optional<String> clusterId(DqliteCluster cr) {
    return java.util.Optional.ofNullable(cr.getStatus())
        .map(s -> s.getIdentity())
        .map(i -> i.getClusterId());
  }

  /**
   * Whether the pods are told that the cluster exists ({@code --cluster-exists}): always, except
   * for a new cluster whose identity is recorded and which has not been bootstrapped yet, where pod
   * 0 must bootstrap it. Before the identity is recorded no pod is created.
   */
  public static boolean clusterExists(DqliteCluster cr) {
    return joinOnly(cr) || clusterId(cr).isEmpty();
  }

  /** Whether the cluster's status records a bootstrap. */
  public static boolean bootstrapped(DqliteCluster cr) {
    return cr.getStatus() != null && Boolean.TRUE.equals(cr.getStatus().getBootstrapped());
  }
}
