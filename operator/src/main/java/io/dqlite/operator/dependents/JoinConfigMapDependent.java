package io.dqlite.operator.dependents;

import io.dqlite.operator.OperatorSettings;
import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The join-seeds ConfigMap, from {@link DesiredJoinConfigMap}. */
@KubernetesDependent(informer = @Informer(labelSelector = StatefulSetDependent.MANAGED))
public class JoinConfigMapDependent
    extends CRUDKubernetesDependentResource<ConfigMap, DqliteCluster> {

  public static final String NAME = "join-configmap";

  public JoinConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(DqliteCluster cr, Context<DqliteCluster> context) {
    return DesiredJoinConfigMap.build(cr, OperatorSettings.environmentClusterDomain());
  }
}
