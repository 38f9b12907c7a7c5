package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/**
 * How the sidecars find their zone. By default from the pod's own zone label (Kubernetes copies its
 * Node's topology labels onto a bound pod with the PodTopologyLabels admission plugin), which needs
 * no API access. {@code readNodeLabels} is for clusters whose pods lack that label.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ZonesSpec {

  @Default("false")
  @JsonPropertyDescription(
      "Let each sidecar read its own Node's zone label from the API server when its pod lacks it:"
          + " the operator mounts the pods' ServiceAccount token into the sidecar container only"
          + " (never into the application's containers). The ServiceAccount also needs get on"
          + " nodes, which the operator does not grant: apply the ClusterRole and"
          + " ClusterRoleBinding shown in docs/operator.md (Zones).")
  private Boolean readNodeLabels = false;

  public Boolean getReadNodeLabels() {
    return readNodeLabels;
  }

  public void setReadNodeLabels(Boolean readNodeLabels) {
    this.readNodeLabels = readNodeLabels;
  }

  /** Whether the cluster's sidecars read their Node's labels. */
  public static boolean readNodeLabels(DqliteCluster cr) {
    ZonesSpec zones = cr.getSpec().getZones();
    return zones != null && Boolean.TRUE.equals(zones.getReadNodeLabels());
  }
}
