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
 * <p>Failure cases: (1) pod 0 losing its volume after bootstrap rejoins with a new id; its old id
 * stays in raft, offline, until removed (the leader demotes it to spare). (2) Every volume lost
 * after bootstrap: no pod may bootstrap, the cluster waits for an operator decision (restore, or
 * recreate the resource) rather than silently starting empty. (3) The status lost (e.g. the
 * resource re-created over retained volumes): pod 0 with its data ignores the seeds; only pod 0 on
 * an empty volume next to other pods' old data would bootstrap apart from them, which the operator
 * can refuse by checking for existing claims before the first start. (4) A pod losing its volume
 * between bootstrap and the operator's next status update would bootstrap again; that window is one
 * reconciliation long.
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

  /** Whether the cluster's status records a bootstrap. */
  public static boolean bootstrapped(DqliteCluster cr) {
    return cr.getStatus() != null && Boolean.TRUE.equals(cr.getStatus().getBootstrapped());
  }
}
