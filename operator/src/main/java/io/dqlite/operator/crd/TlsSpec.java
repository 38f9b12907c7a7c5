package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Mutual TLS between nodes and for clients, as go-dqlite's app sets it up: one certificate and one
 * CA shared by every node. Certificates the operator generates (the default, also when {@code
 * spec.tls} is absent), an existing Secret, or, only when asked for explicitly, none.
 *
 * <p>No field has a schema default: the API server applies defaults also to objects read back from
 * etcd, so a default here would change the stored meaning of clusters created before TLS became the
 * default. What an absent field means is decided by the operator ({@link TlsMode}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.secretName) ? 1 : 0) + (has(self.generate) && self.generate ? 1 : 0)"
            + " + (has(self.plaintext) && self.plaintext ? 1 : 0) <= 1",
    message =
        "tls: set at most one of secretName (a Secret with tls.crt, tls.key and ca.crt),"
            + " generate: true or plaintext: true")
@ValidationRule(
    value =
        "!has(self.generate) || self.generate || has(self.secretName)"
            + " || (has(self.plaintext) && self.plaintext)",
    message =
        "tls.generate: false does not turn TLS off (generated certificates are the default);"
            + " set plaintext: true to run without TLS, or secretName to use your own Secret")
@ValidationRule(
    value =
        "(has(self.secretName) ? 'Secret' : (has(self.plaintext) && self.plaintext ? 'Disabled'"
            + " : 'Generated')) == (has(oldSelf.secretName) ? 'Secret' : (has(oldSelf.plaintext)"
            + " && oldSelf.plaintext ? 'Disabled' : 'Generated'))",
    message =
        "the TLS mode is immutable (secretName, generated, or plaintext: true): plaintext and TLS"
            + " nodes, or nodes trusting different CAs, cannot talk to each other, so a cluster"
            + " cannot switch in place",
    reason = "FieldValueForbidden")
public class TlsSpec {

  @JsonPropertyDescription(
      "An existing Secret holding tls.crt, tls.key and ca.crt; the certificate must name every"
          + " pod's DNS name (e.g. *.<name>-headless.<namespace>.svc.cluster.local).")
  private String secretName;

  @JsonPropertyDescription(
      "Generate a CA and a node certificate into the Secret <name>-tls. This is the default"
          + " (also without spec.tls); kept for specs that say so explicitly.")
  private Boolean generate;

  @JsonPropertyDescription(
      "Run without TLS: any pod that can reach port 9001 can read, write and dump every database"
          + " and change the raft membership. Only for trusted networks. Immutable.")
  private Boolean plaintext;

  public TlsSpec() {}

  /** A spec asking for generated certificates, as {@code generate: true}. */
  public static TlsSpec generated() {
    TlsSpec tls = new TlsSpec();
    tls.setGenerate(true);
    return tls;
  }

  /** A spec using the user's Secret. */
  public static TlsSpec secret(String name) {
    TlsSpec tls = new TlsSpec();
    tls.setSecretName(name);
    return tls;
  }

  /** The explicit opt-out, {@code plaintext: true}. */
  public static TlsSpec disabled() {
    TlsSpec tls = new TlsSpec();
    tls.setPlaintext(true);
    return tls;
  }

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

  public Boolean getPlaintext() {
    return plaintext;
  }

  public void setPlaintext(Boolean plaintext) {
    this.plaintext = plaintext;
  }
}
