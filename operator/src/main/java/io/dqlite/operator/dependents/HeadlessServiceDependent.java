package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The headless Service giving each pod its DNS name, from {@link DesiredServices#headless}. */
@KubernetesDependent(informer = @Informer(labelSelector = StatefulSetDependent.MANAGED))
public class HeadlessServiceDependent
    extends CRUDKubernetesDependentResource<Service, DqliteCluster> {

  public static final String NAME = "headless-service";

  public HeadlessServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(DqliteCluster cr, Context<DqliteCluster> context) {
    return DesiredServices.headless(cr);
  }
}
