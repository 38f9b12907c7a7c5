package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Mutual TLS between nodes and for clients, as go-dqlite's app sets it up: one certificate and one
 * CA shared by every node. Either an existing Secret or one the operator generates; which of the
 * two is fixed at creation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.secretName) != self.generate",
    message =
        "tls: set exactly one of secretName (a Secret with tls.crt, tls.key and ca.crt) or"
            + " generate: true")
public class TlsSpec {

  @JsonPropertyDescription(
      "An existing Secret holding tls.crt, tls.key and ca.crt; the certificate must name every"
          + " pod's DNS name (e.g. *.<name>-headless.<namespace>.svc.cluster.local).")
  private String secretName;

  @Default("false")
  @ValidationRule(
      value = "self == oldSelf",
      message =
          "tls.generate is immutable: switching between generated and provided certificates"
              + " would split the cluster")
  @JsonPropertyDescription(
      "Generate a CA and a node certificate into the Secret <name>-tls. Immutable.")
  private Boolean generate = false;

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public Boolean getGenerate() {
    return generate;
  }

  public void setGenerate(Boolean generate) {
    this.generate = generate;
  }
}
