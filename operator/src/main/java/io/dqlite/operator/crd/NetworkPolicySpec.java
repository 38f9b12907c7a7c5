package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's NetworkPolicy: who may reach the pods' raft port and admin port. Rules: {@link
 * io.dqlite.operator.dependents.DesiredNetworkPolicy}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkPolicySpec {

  @Default("true")
  @JsonPropertyDescription(
      "Create the NetworkPolicy <name> (default true). false deletes it: every pod that can reach"
          + " the cluster's pods can then use ports 9001 and 8081.")
  private Boolean enabled = true;

  @JsonPropertyDescription(
      "Who may scrape /metrics on the admin port 8081 besides the operator, e.g. Prometheus:"
          + " each entry a namespaceSelector and/or podSelector, as in a NetworkPolicy peer.")
  private List<PeerSelector> metricsFrom = new ArrayList<>();

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public List<PeerSelector> getMetricsFrom() {
    return metricsFrom;
  }

  public void setMetricsFrom(List<PeerSelector> metricsFrom) {
    this.metricsFrom = metricsFrom;
  }
}
