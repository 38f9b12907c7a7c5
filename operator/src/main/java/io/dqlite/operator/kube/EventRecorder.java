package io.dqlite.operator.kube;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.status.ClusterEvent;

/** Records Events on a DqliteCluster; {@link KubernetesEventRecorder} in production. */
public interface EventRecorder {

  /** Records the event; never throws (a lost Event must not fail a reconciliation). */
  void record(DqliteCluster cr, ClusterEvent event);
}
