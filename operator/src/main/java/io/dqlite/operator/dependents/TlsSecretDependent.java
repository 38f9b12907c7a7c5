package io.dqlite.operator.dependents;

import io.dqlite.operator.OperatorSettings;
import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.time.Instant;

/**
 * The generated TLS Secret ({@link GeneratedTls}) of a cluster with {@code spec.tls.generate}.
 * Create-only: an existing Secret is never updated or regenerated, so the CA every node trusts
 * stays the same across reconciliations and operator restarts. Owned by the cluster (garbage
 * collected with it). The pods mount it through {@link PodVolumes} and find it through {@code
 * DQLITE_TLS_CERT}, {@code DQLITE_TLS_KEY} and {@code DQLITE_TLS_CA}.
 */
@KubernetesDependent(informer = @Informer(labelSelector = StatefulSetDependent.MANAGED))
public class TlsSecretDependent extends KubernetesDependentResource<Secret, DqliteCluster>
    implements Creator<Secret, DqliteCluster>, GarbageCollected<DqliteCluster> {

  public static final String NAME = "tls-secret";

  public TlsSecretDependent() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(DqliteCluster cr, Context<DqliteCluster> context) {
    return GeneratedTls.build(cr, OperatorSettings.environmentClusterDomain(), Instant.now());
  }

  /**
   * Active only for clusters that ask for generated certificates; the Secret informer is then
   * started only when one does.
   */
  public static class Generated implements Condition<Secret, DqliteCluster> {
    @Override
    public boolean isMet(
        DependentResource<Secret, DqliteCluster> dependentResource,
        DqliteCluster cr,
        Context<DqliteCluster> context) {
      return cr.getSpec().getTls() != null
          && Boolean.TRUE.equals(cr.getSpec().getTls().getGenerate());
    }
  }
}
