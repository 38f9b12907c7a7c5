package io.dqlite.operator.kube;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.ClusterNames;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/**
 * {@link WorkloadActions} with fabric8. Evictions go through a client of their own that does not
 * retry: fabric8 retries a 429 for as long as its backoff allows (the API server answers a refusal
 * by the budget with Retry-After: 10), which would hold the reconciliation for minutes; a refusal
 * is an answer here, and the next pass asks again.
 */
public final class KubernetesWorkloadActions implements WorkloadActions, AutoCloseable {

  private final KubernetesClient client;
  private final KubernetesClient evictions;

  public KubernetesWorkloadActions(KubernetesClient client) {
    this.client = client;
    this.evictions =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(client.getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
  }

  @Override
  public Eviction evictPod(DqliteCluster cr, int ordinal, String uid) {
    String namespace = cr.getMetadata().getNamespace();
    String name = ClusterNames.podName(cr, ordinal);
    io.fabric8.kubernetes.api.model.policy.v1.Eviction eviction =
        new EvictionBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withDeleteOptions(
                new DeleteOptionsBuilder()
                    .withNewPreconditions()
                    .withUid(uid)
                    .endPreconditions()
                    .build())
            .build();
    // Looked at first: the API server counts an eviction against the budget before the
    // precondition fails it, so a stale UID sent as is would use up the budget's one disruption
    // (for the disruption controller's two-minute timeout). The precondition covers the race.
    Pod current = client.pods().inNamespace(namespace).withName(name).get();
    if (current == null) {
      return Eviction.GONE;
    }
    if (!uid.equals(current.getMetadata().getUid())) {
      return Eviction.STALE;
    }
    try {
      return evictions.pods().inNamespace(namespace).withName(name).evict(eviction)
          ? Eviction.EVICTED
          : Eviction.REFUSED_BY_BUDGET;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return Eviction.GONE;
      }
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return Eviction.STALE;
      }
      throw e;
    }
  }

  @Override
  public void deleteClaim(DqliteCluster cr, int ordinal) {
    client
        .persistentVolumeClaims()
        .inNamespace(cr.getMetadata().getNamespace())
        .withName(ClusterNames.dataClaim(cr, ordinal))
        .delete();
  }

  @Override
  public void close() {
    evictions.close();
  }
}
