package io.dqlite.operator.kube;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.ClusterNames;
import io.fabric8.kubernetes.client.KubernetesClient;

/** {@link WorkloadActions} with fabric8. */
public final class KubernetesWorkloadActions implements WorkloadActions {

  private final KubernetesClient client;

  public KubernetesWorkloadActions(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void deletePod(DqliteCluster cr, int ordinal) {
    client
        .pods()
        .inNamespace(cr.getMetadata().getNamespace())
        .withName(ClusterNames.podName(cr, ordinal))
        .delete();
  }

  @Override
  public void deleteClaim(DqliteCluster cr, int ordinal) {
    client
        .persistentVolumeClaims()
        .inNamespace(cr.getMetadata().getNamespace())
        .withName(ClusterNames.dataClaim(cr, ordinal))
        .delete();
  }
}
