package io.dqlite.operator.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DesiredAdminSecretTest {

  @Test
  void tokensAreLongRandomAndUrlSafe() {
    SecureRandom random = new SecureRandom();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String t = DesiredAdminSecret.newToken(random);
      assertThat(t).hasSize(43).matches("[A-Za-z0-9_-]+");
      seen.add(t);
    }
    assertThat(seen).hasSize(100);
  }

  @Test
  void theSecretIsOwnedByTheClusterAndHoldsTheToken() {
    var cr = TestClusters.cluster();
    Secret s = DesiredAdminSecret.build(cr, "abc");
    assertThat(s.getMetadata().getName()).isEqualTo("db-admin");
    assertThat(s.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(s.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("db"));
    assertThat(s.getData()).containsOnlyKeys("token");
    assertThat(DesiredAdminSecret.token(s)).contains("abc");
  }

  @Test
  void unusableSecretsGiveNoToken() {
    assertThat(DesiredAdminSecret.token(new SecretBuilder().build())).isEmpty();
    assertThat(
            DesiredAdminSecret.token(new SecretBuilder().withData(Map.of("other", "YQ==")).build()))
        .isEmpty();
    assertThat(
            DesiredAdminSecret.token(new SecretBuilder().withData(Map.of("token", "!!")).build()))
        .isEmpty();
    assertThat(
            DesiredAdminSecret.token(new SecretBuilder().withData(Map.of("token", "IA==")).build()))
        .as("blank")
        .isEmpty();
    assertThat(
            DesiredAdminSecret.token(
                new SecretBuilder().withStringData(Map.of("token", " mine ")).build()))
        .contains("mine");
  }
}
