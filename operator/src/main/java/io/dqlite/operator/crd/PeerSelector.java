package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * Pods admitted by a NetworkPolicy rule, as a NetworkPolicy peer: pods matching {@code podSelector}
 * in namespaces matching {@code namespaceSelector}; without a namespaceSelector, in the cluster's
 * own namespace; without a podSelector, every pod of the selected namespaces.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.namespaceSelector) || has(self.podSelector)",
    message =
        "networkPolicy.metricsFrom: each entry needs a namespaceSelector, a podSelector or both"
            + " (e.g. namespaceSelector.matchLabels: {kubernetes.io/metadata.name: monitoring})")
public class PeerSelector {

  @JsonPropertyDescription(
      "Namespaces whose pods are admitted; {} selects every namespace. Absent: the cluster's own.")
  private LabelSelector namespaceSelector;

  @JsonPropertyDescription("Pods admitted; absent: every pod of the selected namespaces.")
  private LabelSelector podSelector;

  public PeerSelector() {}

  public PeerSelector(LabelSelector namespaceSelector, LabelSelector podSelector) {
    this.namespaceSelector = namespaceSelector;
    this.podSelector = podSelector;
  }

  public LabelSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(LabelSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }

  public LabelSelector getPodSelector() {
    return podSelector;
  }

  public void setPodSelector(LabelSelector podSelector) {
    this.podSelector = podSelector;
  }
}
