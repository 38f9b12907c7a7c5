package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The cluster's ServiceAccount, from {@link DesiredServiceAccount#build}. */
@KubernetesDependent(informer = @Informer(labelSelector = StatefulSetDependent.MANAGED))
public class ServiceAccountDependent
    extends CRUDKubernetesDependentResource<ServiceAccount, DqliteCluster> {

  public static final String NAME = "serviceaccount";

  public ServiceAccountDependent() {
    super(ServiceAccount.class);
  }

  @Override
  protected ServiceAccount desired(DqliteCluster cr, Context<DqliteCluster> context) {
    return DesiredServiceAccount.build(cr);
  }
}
