package io.dqlite.operator.kube;

import io.dqlite.operator.crd.DqliteCluster;

/**
 * The Kubernetes deletions of scaling and rolling: pods and claims ({@link
 * KubernetesWorkloadActions} in production). The replica count is not here: the StatefulSet
 * dependent applies the count the scale plan decided.
 */
public interface WorkloadActions {

  /** What an eviction request came to. */
  enum Eviction {
    /** The API server accepted it: the pod is being deleted (the StatefulSet recreates it). */
    EVICTED,
    /** No pod of that name: nothing to do. */
    GONE,
    /** Refused (429): it would violate a PodDisruptionBudget. Nothing changed; retry later. */
    REFUSED_BY_BUDGET,
    /** Refused (409): the pod of that name is another one (its UID changed) than was decided on. */
    STALE
  }

  /**
   * Evicts pod {@code ordinal} through the Eviction API, so that the PodDisruptionBudget applies,
   * and only if it still is the pod with {@code uid}: a pod recreated under the same name since the
   * decision is never deleted by it.
   */
  Eviction evictPod(DqliteCluster cr, int ordinal, String uid);

  /** Deletes the data claim of pod {@code ordinal}; none is fine. */
  void deleteClaim(DqliteCluster cr, int ordinal);
}
