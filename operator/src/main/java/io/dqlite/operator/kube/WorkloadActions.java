package io.dqlite.operator.kube;

import io.dqlite.operator.crd.DqliteCluster;

/**
 * The Kubernetes deletions of scaling and rolling: pods and claims ({@link
 * KubernetesWorkloadActions} in production). The replica count is not here: the StatefulSet
 * dependent applies the count the scale plan decided.
 */
public interface WorkloadActions {

  /** Deletes pod {@code ordinal} (the StatefulSet controller recreates it); none is fine. */
  void deletePod(DqliteCluster cr, int ordinal);

  /** Deletes the data claim of pod {@code ordinal}; none is fine. */
  void deleteClaim(DqliteCluster cr, int ordinal);
}
