package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;

/** The PodDisruptionBudget: voluntary evictions (node drains) take one pod at a time. */
public final class DesiredPodDisruptionBudget {

  private DesiredPodDisruptionBudget() {}

  /**
   * {@code maxUnavailable: 1} keeps a quorum of three voters through a drain. {@code
   * unhealthyPodEvictionPolicy: AlwaysAllow} lets a drain evict a pod that is not ready anyway
   * (crash-looping, say): it serves nothing, and blocking on it would stall the drain for good.
   */
  public static PodDisruptionBudget build(DqliteCluster cr) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(ClusterNames.podDisruptionBudget(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(ClusterNames.labels(cr))
        .endMetadata()
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withUnhealthyPodEvictionPolicy("AlwaysAllow")
        .withNewSelector()
        .withMatchLabels(ClusterNames.selectorLabels(cr))
        .endSelector()
        .endSpec()
        .build();
  }
}
