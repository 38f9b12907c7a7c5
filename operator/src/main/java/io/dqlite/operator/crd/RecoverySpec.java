package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/**
 * Decisions only a person can make when a DqliteCluster is created over volumes that already hold
 * data (docs/operator.md, Recovery). Read only while the status records no cluster identity: when
 * the resource is created or re-created.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecoverySpec {

  @Pattern("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")
  @JsonPropertyDescription(
      "The cluster identity to adopt when this DqliteCluster is created over existing volumes"
          + " that name more than one cluster (label dqlite.io/cluster-id on the claims"
          + " data-<name>-N): pods whose volume holds another identity refuse to start until"
          + " their claim is deleted. Read only while status.identity is unset.")
  private String clusterId;

  public String getClusterId() {
    return clusterId;
  }

  public void setClusterId(String clusterId) {
    this.clusterId = clusterId;
  }
}
