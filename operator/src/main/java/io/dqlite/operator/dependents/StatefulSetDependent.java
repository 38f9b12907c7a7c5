package io.dqlite.operator.dependents;

import io.dqlite.operator.OperatorSettings;
import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The cluster's StatefulSet, from {@link DesiredStatefulSet}. */
@KubernetesDependent(informer = @Informer(labelSelector = StatefulSetDependent.MANAGED))
public class StatefulSetDependent
    extends CRUDKubernetesDependentResource<StatefulSet, DqliteCluster> {

  public static final String NAME = "statefulset";

  /** Informers cache only the objects this operator manages. */
  static final String MANAGED = ClusterNames.MANAGED_BY_LABEL + "=" + ClusterNames.MANAGER;

  public StatefulSetDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet desired(DqliteCluster cr, Context<DqliteCluster> context) {
    int current =
        context
            .getSecondaryResource(StatefulSet.class)
            .map(sts -> sts.getSpec().getReplicas())
            .orElse(0);
    return DesiredStatefulSet.build(
        cr, replicas(cr.getSpec().getReplicas(), current), OperatorSettings.clusterDomain());
  }

  /**
   * The replica count to apply: the spec's when growing; the current one when the spec asks for
   * fewer, because pods may only go once their members have left raft (the scale plan's Shrink step
   * lowers it).
   */
  static int replicas(int spec, int current) {
    return Math.max(spec, current);
  }
}
