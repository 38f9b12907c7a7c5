package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;

/** The ConfigMap the pods read {@code DQLITE_JOIN} from; see {@link JoinSeeds} for the rule. */
public final class DesiredJoinConfigMap {

  private DesiredJoinConfigMap() {}

  public static ConfigMap build(DqliteCluster cr, String clusterDomain) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(ClusterNames.joinConfigMap(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(ClusterNames.labels(cr))
        .endMetadata()
        .addToData(
            JoinSeeds.KEY, JoinSeeds.joinValue(cr, JoinSeeds.bootstrapped(cr), clusterDomain))
        .build();
  }
}
