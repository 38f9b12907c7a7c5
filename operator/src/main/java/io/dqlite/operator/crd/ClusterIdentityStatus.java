package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The cluster's identity, recorded before any pod starts: every node writes it into its data
 * directory, and every claim carries it as the label {@code dqlite.io/cluster-id}, so that a
 * re-created DqliteCluster finds which cluster its volumes belong to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterIdentityStatus {

  @JsonPropertyDescription(
      "The identity every node writes into its data directory and is started with; a node whose"
          + " directory holds another one refuses to start.")
  private String clusterId;

  @JsonPropertyDescription(
      "True when the identity was taken from volumes that existed before this DqliteCluster (or"
          + " from a cluster already running): no pod may bootstrap, every pod joins.")
  private Boolean adopted;

  public ClusterIdentityStatus() {}

  public ClusterIdentityStatus(String clusterId, boolean adopted) {
    this.clusterId = clusterId;
    this.adopted = adopted ? Boolean.TRUE : null;
  }

  public String getClusterId() {
    return clusterId;
  }

  public void setClusterId(String clusterId) {
    this.clusterId = clusterId;
  }

  public Boolean getAdopted() {
    return adopted;
  }

  public void setAdopted(Boolean adopted) {
    this.adopted = adopted;
  }

  /** Whether the identity was adopted (no pod may bootstrap). */
  public boolean adopted() {
    return Boolean.TRUE.equals(adopted);
  }
}
