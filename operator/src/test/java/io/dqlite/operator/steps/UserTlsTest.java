package io.dqlite.operator.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.dependents.TlsRevision;
import io.dqlite.operator.status.DegradedCheck.Issue;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a user's TLS Secret, as read, means for the pod template and the status. */
class UserTlsTest {

  static final Map<String, String> DATA =
      Map.of("tls.crt", "Y2VydA==", "tls.key", "a2V5", "ca.crt", "Y2E=");

  @Test
  void aCompleteSecretGivesItsRevision() {
    TlsRotator.Outcome o =
        UserTls.decide("ns", "certs", Optional.of(secret(DATA)), Optional.empty());
    assertThat(o.revision()).contains(TlsRevision.of(DATA));
    assertThat(o.events()).isEmpty();
    assertThat(o.problem()).isEmpty();
    assertThat(o.failure()).isEmpty();
  }

  @Test
  void theTemplateAlreadyOnItIsNoEvent() {
    TlsRotator.Outcome o =
        UserTls.decide("ns", "certs", Optional.of(secret(DATA)), Optional.of(TlsRevision.of(DATA)));
    assertThat(o.revision()).contains(TlsRevision.of(DATA));
    assertThat(o.events()).isEmpty();
  }

  @Test
  void aChangedSecretIsAnEventAndANewRevision() {
    TlsRotator.Outcome o =
        UserTls.decide("ns", "certs", Optional.of(secret(DATA)), Optional.of("0123456789abcdef"));
    assertThat(o.revision()).contains(TlsRevision.of(DATA));
    assertThat(o.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.warning()).isFalse();
              assertThat(e.reason()).isEqualTo(UserTls.CHANGED);
              assertThat(e.note()).contains("ns/certs", "0123456789abcdef", TlsRevision.of(DATA));
            });
  }

  @Test
  void aMissingSecretIsDegradedAndKeepsTheTemplate() {
    TlsRotator.Outcome o =
        UserTls.decide("ns", "certs", Optional.empty(), Optional.of("0123456789abcdef"));
    assertThat(o.revision()).isEmpty();
    assertThat(o.events()).isEmpty();
    assertThat(o.problem())
        .hasValueSatisfying(
            i -> {
              assertThat(i.reason()).isEqualTo(UserTls.MISSING);
              assertThat(i.message()).contains("ns/certs", "does not exist");
            });
  }

  @Test
  void anIncompleteSecretNamesTheMissingKeysAndKeepsTheTemplate() {
    TlsRotator.Outcome o =
        UserTls.decide(
            "ns",
            "certs",
            Optional.of(secret(Map.of("tls.crt", "Y2VydA==", "tls.key", "a2V5"))),
            Optional.of("0123456789abcdef"));
    assertThat(o.revision()).isEmpty();
    assertThat(o.events()).isEmpty();
    assertThat(o.problem().map(Issue::reason)).contains(UserTls.INCOMPLETE);
    assertThat(o.problem().map(Issue::message).orElseThrow())
        .contains("ns/certs", "has no ca.crt")
        .doesNotContain("has no tls.crt");
  }

  @Test
  void aSecretWithoutDataLacksEveryKey() {
    TlsRotator.Outcome o =
        UserTls.decide("ns", "certs", Optional.of(secret(null)), Optional.empty());
    assertThat(o.problem().map(Issue::message).orElseThrow())
        .contains("has no tls.crt, tls.key, ca.crt");
  }

  static Secret secret(Map<String, String> data) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("certs")
        .withNamespace("ns")
        .endMetadata()
        .withData(data)
        .build();
  }
}
