package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Prometheus scraping of each sidecar's {@code /metrics} on the admin port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricsSpec {

  @Default("false")
  @JsonPropertyDescription(
      "Create a prometheus-operator ServiceMonitor for the sidecars' /metrics (needs its CRD).")
  private Boolean serviceMonitor = false;

  public Boolean getServiceMonitor() {
    return serviceMonitor;
  }

  public void setServiceMonitor(Boolean serviceMonitor) {
    this.serviceMonitor = serviceMonitor;
  }
}
