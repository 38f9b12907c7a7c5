package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;

/**
 * The pods' own ServiceAccount, with no token mounted and no Role bound: the sidecar talks to no
 * Kubernetes API. Its one need, its node's zone, comes from the downward API (Kubernetes copies the
 * node's topology labels onto the pod at binding since 1.36), which spares granting read access to
 * Nodes, a cluster-scoped resource that a namespaced DqliteCluster could not own. A dedicated
 * account keeps the pods from inheriting whatever the namespace's default account was given.
 *
 * <p>With {@code spec.zones.readNodeLabels} the account's token is mounted into the sidecar
 * container alone ({@link PodVolumes#KUBE_API}); the grant to read Nodes is the user's to apply
 * (docs/operator.md, Zones).
 */
public final class DesiredServiceAccount {

  private DesiredServiceAccount() {}

  public static ServiceAccount build(DqliteCluster cr) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(ClusterNames.serviceAccount(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(ClusterNames.labels(cr))
        .endMetadata()
        .withAutomountServiceAccountToken(false)
        .build();
  }
}
