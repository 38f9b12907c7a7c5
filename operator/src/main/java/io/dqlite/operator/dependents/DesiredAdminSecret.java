package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.sidecar.api.AdminApi;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's admin Secret, {@code <name>-admin}: one key, {@value AdminApi#TOKEN_KEY}, 32 random
 * bytes (base64url, 43 characters), the bearer token the sidecars require on {@code /cluster} and
 * {@code /handover}. Created once and never regenerated while it exists; owned by the
 * DqliteCluster, so it goes with it.
 */
public final class DesiredAdminSecret {

  /** Random bytes in a token. */
  static final int TOKEN_BYTES = 32;

  private DesiredAdminSecret() {}

  /** A new token from {@code random}. */
  public static String newToken(SecureRandom random) {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The Secret holding {@code token}, owned by {@code cr}. */
  public static Secret build(DqliteCluster cr, String token) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(ClusterNames.adminSecret(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(ClusterNames.labels(cr))
        .withOwnerReferences(ClusterNames.ownerReference(cr))
        .endMetadata()
        .withType("Opaque")
        .withData(
            Map.of(
                AdminApi.TOKEN_KEY,
                Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  /** The token a Secret holds; empty when the key is missing, empty or not base64. */
  public static Optional<String> token(Secret secret) {
    Map<String, String> data = secret.getData();
    String encoded = data == null ? null : data.get(AdminApi.TOKEN_KEY);
    if (encoded == null) {
      Map<String, String> plain = secret.getStringData();
      return Optional.ofNullable(plain == null ? null : plain.get(AdminApi.TOKEN_KEY))
          .map(String::strip)
          .filter(t -> !t.isEmpty());
    }
    try {
      String token =
          new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).strip();
      return token.isEmpty() ? Optional.empty() : Optional.of(token);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
