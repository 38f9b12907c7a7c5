package io.dqlite.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.TlsMode;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which TLS mode a cluster runs in, from what the spec asks for ({@code -}: no spec.tls), what
 * status.tls recorded ({@code -}: nothing) and whether the StatefulSet's pods mount TLS ({@code -}:
 * no StatefulSet).
 */
class TlsModeDecisionTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                       | spec      | recorded  | sts TLS | mode      | reason
          new cluster: TLS by default                  | -         | -         | -       | Generated | -
          new cluster, explicit plaintext              | Disabled  | -         | -       | Disabled  | -
          new cluster, user's Secret                   | Secret    | -         | -       | Secret    | -
          new cluster, generate: true                  | Generated | -         | -       | Generated | -
          existing plaintext cluster stays plaintext   | -         | -         | false   | Disabled  | PlaintextByDefault
          ... and is still told once recorded          | -         | Disabled  | false   | Disabled  | PlaintextByDefault
          ... silenced by plaintext: true              | Disabled  | Disabled  | false   | Disabled  | -
          ... asking for TLS is not followed           | Generated | Disabled  | false   | Disabled  | TlsModeMismatch
          ... nor a Secret                             | Secret    | -         | false   | Disabled  | TlsModeMismatch
          existing generated cluster (older operator)  | Generated | -         | true    | Generated | -
          existing Secret cluster (older operator)     | Secret    | -         | true    | Secret    | -
          default TLS cluster after the first pass     | -         | Generated | true    | Generated | -
          default TLS cluster asking for plaintext     | Disabled  | Generated | true    | Generated | TlsModeMismatch
          StatefulSet made, status not yet written     | -         | -         | true    | Generated | -
          recorded but StatefulSet deleted             | -         | Disabled  | -       | Disabled  | PlaintextByDefault
          recorded TLS, StatefulSet deleted            | -         | Generated | -       | Generated | -
          the pods' template wins over the record      | -         | Generated | false   | Disabled  | PlaintextByDefault
          """)
  void decide(
      String description,
      String spec,
      String recorded,
      String statefulSetTls,
      String mode,
      String reason) {
    TlsModeDecision.Choice choice =
        TlsModeDecision.decide(mode(spec), mode(recorded), bool(statefulSetTls));
    assertThat(choice.mode().value()).isEqualTo(mode);
    assertThat(choice.reason()).isEqualTo(optional(reason));
    assertThat(choice.message().isPresent()).isEqualTo(choice.reason().isPresent());
    assertThat(choice.status().getMode()).isEqualTo(mode);
  }

  @org.junit.jupiter.api.Test
  void theWarningsNameWhatToSet() {
    assertThat(
            TlsModeDecision.decide(Optional.empty(), Optional.empty(), Optional.of(false))
                .message()
                .orElseThrow())
        .contains("spec.tls.plaintext: true")
        .contains("port 9001");
    assertThat(
            TlsModeDecision.decide(
                    Optional.of(TlsMode.GENERATED), Optional.of(TlsMode.DISABLED), Optional.empty())
                .message()
                .orElseThrow())
        .startsWith("spec.tls asks for generated certificates but the cluster runs plaintext")
        .contains("Set spec.tls to plaintext: true");
  }

  private static Optional<TlsMode> mode(String value) {
    return "-".equals(value) ? Optional.empty() : Optional.of(TlsMode.of(value).orElseThrow());
  }

  private static Optional<Boolean> bool(String value) {
    return "-".equals(value) ? Optional.empty() : Optional.of(Boolean.parseBoolean(value));
  }

  private static Optional<String> optional(String value) {
    return "-".equals(value) ? Optional.empty() : Optional.of(value);
  }
}
