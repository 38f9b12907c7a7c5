package io.dqlite.operator.kube;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.plan.BootstrapDecision.Claim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data claims of a cluster's name ({@code <volume>-<name>-<ordinal>}, made by the StatefulSet
 * controller and retained after the DqliteCluster by default), and the identity label each carries.
 * The claims outlive the resource, so they are where a re-created resource finds which cluster its
 * volumes hold ({@link io.dqlite.operator.plan.BootstrapDecision}).
 */
public final class DataClaims {

  /** The label holding the cluster identity on each claim. */
  public static final String CLUSTER_ID_LABEL = "dqlite.io/cluster-id";

  private static final Logger log = LoggerFactory.getLogger(DataClaims.class);

  private final KubernetesClient client;

  public DataClaims(KubernetesClient client) {
    this.client = client;
  }

  /** The claims of this cluster's name not being deleted; empty when they cannot be listed. */
  public Optional<List<Claim>> read(DqliteCluster cr) {
    String ns = cr.getMetadata().getNamespace();
    try {
      List<Claim> claims = new ArrayList<>();
      for (PersistentVolumeClaim pvc :
          client.persistentVolumeClaims().inNamespace(ns).list().getItems()) {
        if (pvc.getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        OptionalInt ordinal = ordinal(cr, pvc.getMetadata().getName());
        if (ordinal.isPresent()) {
          Map<String, String> labels = pvc.getMetadata().getLabels();
          claims.add(
              new Claim(
                  ordinal.getAsInt(),
                  pvc.getMetadata().getName(),
                  Optional.ofNullable(labels == null ? null : labels.get(CLUSTER_ID_LABEL))));
        }
      }
      return Optional.of(claims);
    } catch (KubernetesClientException e) {
      log.warn("claims in {} not listed: {}", ns, e.getMessage());
      return Optional.empty();
    }
  }

  /** The ordinal a claim name gives for this cluster, if it is one of its data claims. */
  public static OptionalInt ordinal(DqliteCluster cr, String claimName) {
    String prefix = ClusterNames.DATA_VOLUME + "-";
    if (claimName == null || !claimName.startsWith(prefix)) {
      return OptionalInt.empty();
    }
    return ClusterNames.podOrdinal(cr, claimName.substring(prefix.length()));
  }

  /**
   * Labels the claims of the pods the StatefulSet runs ({@code ordinal < replicas}) that lack the
   * identity. A claim labelled otherwise is left alone (its pod refuses to start; the status says
   * so). Failures are logged and retried at the next pass.
   */
  public void label(DqliteCluster cr, List<Claim> claims, String clusterId, int replicas) {
    String ns = cr.getMetadata().getNamespace();
    for (Claim c : claims) {
      if (c.ordinal() >= replicas || c.clusterId().isPresent()) {
        continue;
      }
      try {
        client
            .persistentVolumeClaims()
            .inNamespace(ns)
            .withName(c.name())
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"" + CLUSTER_ID_LABEL + "\":\"" + clusterId + "\"}}}");
        log.info("claim {}/{} labelled with cluster {}", ns, c.name(), clusterId);
      } catch (KubernetesClientException e) {
        log.warn("claim {}/{} not labelled: {}", ns, c.name(), e.getMessage());
      }
    }
  }
}
