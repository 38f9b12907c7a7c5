package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;

/**
 * The ConfigMap the pods read {@code DQLITE_JOIN}, {@code DQLITE_CLUSTER_EXISTS} and {@code
 * DQLITE_CLUSTER_ID} from; see {@link JoinSeeds} for the rules. A ConfigMap, not the pod template,
 * so that a change (the cluster bootstrapped) restarts no pod: each reads it when it starts.
 */
public final class DesiredJoinConfigMap {

  private DesiredJoinConfigMap() {}

  public static ConfigMap build(DqliteCluster cr, String clusterDomain) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(ClusterNames.joinConfigMap(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(ClusterNames.labels(cr))
        .endMetadata()
        .addToData(JoinSeeds.KEY, JoinSeeds.joinValue(cr, JoinSeeds.joinOnly(cr), clusterDomain))
        .addToData(JoinSeeds.CLUSTER_EXISTS_KEY, String.valueOf(JoinSeeds.clusterExists(cr)))
        .addToData(
            JoinSeeds.clusterId(cr).isPresent()
                ? java.util.Map.of(JoinSeeds.CLUSTER_ID_KEY, JoinSeeds.clusterId(cr).get())
                : java.util.Map.of())
        .build();
  }
}
