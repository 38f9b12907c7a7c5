package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.RetentionSpec;
import io.dqlite.operator.crd.StorageSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;

/**
 * The desired StatefulSet of a cluster, a pure function of the spec and the replica count the
 * operator decided on (during a scale-down the StatefulSet keeps its pods until their members have
 * left raft, so the count is not always {@code spec.replicas}).
 *
 * <p>{@code podManagementPolicy: Parallel}: with OrderedReady a full restart would start pod 0
 * alone and wait for it to be ready, which a dqlite node cannot be without a quorum of voters, so
 * the cluster would never come back. Scale-down is safe in parallel because the operator removes
 * members from raft before it lowers the replica count.
 *
 * <p>{@code updateStrategy: OnDelete}: the operator rolls pods itself, one at a time, in the order
 * the rolling-update gate picks (non-leaders first, only while every other voter is online). A
 * RollingUpdate partition would force the highest ordinal first, leader or not.
 */
public final class DesiredStatefulSet {

  private DesiredStatefulSet() {}

  public static StatefulSet build(DqliteCluster cr, int replicas, String clusterDomain) {
    RetentionSpec retention = retention(cr);
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(ClusterNames.statefulSet(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(ClusterNames.labels(cr))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withServiceName(ClusterNames.headlessService(cr))
        .withNewSelector()
        .withMatchLabels(ClusterNames.selectorLabels(cr))
        .endSelector()
        .withPodManagementPolicy("Parallel")
        .withNewUpdateStrategy()
        .withType("OnDelete")
        .endUpdateStrategy()
        .withNewPersistentVolumeClaimRetentionPolicy()
        .withWhenScaled(retention.getWhenScaled().value())
        .withWhenDeleted(retention.getWhenDeleted().value())
        .endPersistentVolumeClaimRetentionPolicy()
        .withVolumeClaimTemplates(dataClaim(cr))
        .withTemplate(PodTemplate.build(cr, clusterDomain))
        .endSpec()
        .build();
  }

  private static PersistentVolumeClaim dataClaim(DqliteCluster cr) {
    StorageSpec storage = storage(cr);
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(ClusterNames.DATA_VOLUME)
        .withLabels(ClusterNames.selectorLabels(cr))
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(storage.getStorageClassName())
        .withNewResources()
        .addToRequests("storage", new Quantity(storage.getSize()))
        .endResources()
        .endSpec()
        .build();
  }

  /** The storage section; the API server fills in its defaults, specs built in Java may not. */
  private static StorageSpec storage(DqliteCluster cr) {
    return cr.getSpec().getStorage() == null ? new StorageSpec() : cr.getSpec().getStorage();
  }

  private static RetentionSpec retention(DqliteCluster cr) {
    RetentionSpec retention = storage(cr).getRetention();
    return retention == null ? new RetentionSpec() : retention;
  }
}
