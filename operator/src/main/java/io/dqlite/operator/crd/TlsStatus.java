package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The TLS mode the cluster runs in, recorded at its first reconciliation and kept from then on: the
 * mode of a running cluster never changes, whatever the spec says later.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsStatus {

  @JsonPropertyDescription(
      "Generated, Secret or Disabled: how the nodes talk, fixed when the cluster was created.")
  private String mode;

  @JsonPropertyDescription(
      "Why the mode differs from what spec.tls asks for, or why a cluster without spec.tls runs"
          + " plaintext: PlaintextByDefault, TlsModeMismatch.")
  private String reason;

  @JsonPropertyDescription("What that means and what to set.")
  private String message;

  public TlsStatus() {}

  public TlsStatus(String mode, String reason, String message) {
    this.mode = mode;
    this.reason = reason;
    this.message = message;
  }

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
