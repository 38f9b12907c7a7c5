package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/** How a cluster's nodes talk to each other and to clients. */
public enum TlsMode {
  /** Operator-generated CA and node certificate, mutual TLS (the default). */
  GENERATED("Generated"),
  /** The user's Secret ({@code spec.tls.secretName}), mutual TLS. */
  SECRET("Secret"),
  /** Plain TCP ({@code spec.tls.plaintext: true}, or a cluster created before TLS was default). */
  DISABLED("Disabled");

  private final String value;

  TlsMode(String value) {
    this.value = value;
  }

  @JsonValue
  public String value() {
    return value;
  }

  public boolean tls() {
    return this != DISABLED;
  }

  /** The mode {@code spec.tls} names explicitly; empty when it is absent (the default applies). */
  public static Optional<TlsMode> requested(TlsSpec tls) {
    if (tls == null) {
      return Optional.empty();
    }
    if (tls.getSecretName() != null) {
      return Optional.of(SECRET);
    }
    if (Boolean.TRUE.equals(tls.getPlaintext())) {
      return Optional.of(DISABLED);
    }
    // generate: true, or an empty tls: {} (generated is the default).
    return Optional.of(GENERATED);
  }

  /**
   * The mode a cluster runs in: {@code status.tls.mode} once the reconciler has decided it ({@link
   * io.dqlite.operator.plan.TlsModeDecision}, recorded before anything is built from it), else what
   * the spec asks for, else {@link #GENERATED}.
   */
  public static TlsMode of(DqliteCluster cr) {
    return Optional.ofNullable(cr.getStatus())
        .map(DqliteClusterStatus::getTls)
        .map(TlsStatus::getMode)
        .flatMap(TlsMode::of)
        .orElseGet(() -> requested(cr.getSpec().getTls()).orElse(GENERATED));
  }

  /** The mode of a status value; empty for null or an unknown value. */
  public static Optional<TlsMode> of(String value) {
    for (TlsMode m : values()) {
      if (m.value.equals(value)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
