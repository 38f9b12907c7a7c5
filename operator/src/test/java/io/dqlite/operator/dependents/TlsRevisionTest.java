package io.dqlite.operator.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TLS revision of a Secret's content. Notation: {@code key=value;key=value}, values base64. */
class TlsRevisionTest {

  static final String BASE = "tls.crt=Y2VydA==;tls.key=a2V5;ca.crt=Y2E=";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                              | other data                                                    | same
          same content                        | tls.crt=Y2VydA==;tls.key=a2V5;ca.crt=Y2E=                     | true
          key order does not matter           | ca.crt=Y2E=;tls.key=a2V5;tls.crt=Y2VydA==                     | true
          an unrelated key is ignored         | tls.crt=Y2VydA==;tls.key=a2V5;ca.crt=Y2E=;owner=Ym9i          | true
          cert-manager's extra keys ignored   | tls.crt=Y2VydA==;tls.key=a2V5;ca.crt=Y2E=;keystore.jks=amtz   | true
          a renewed certificate               | tls.crt=Y2VydDI=;tls.key=a2V5;ca.crt=Y2E=                     | false
          a new key                           | tls.crt=Y2VydA==;tls.key=a2V5Mg==;ca.crt=Y2E=                 | false
          a new CA                            | tls.crt=Y2VydA==;tls.key=a2V5;ca.crt=Y2EyY2E=                 | false
          a key gone                          | tls.crt=Y2VydA==;tls.key=a2V5                                 | false
          values moved between keys           | tls.crt=a2V5;tls.key=Y2VydA==;ca.crt=Y2E=                     | false
          """)
  void revisionFollowsWhatThePodsRead(String description, String other, boolean same) {
    String base = TlsRevision.of(data(BASE));
    String changed = TlsRevision.of(data(other));
    assertThat(changed).hasSize(16).matches("[0-9a-f]{16}");
    if (same) {
      assertThat(changed).isEqualTo(base);
    } else {
      assertThat(changed).isNotEqualTo(base);
    }
  }

  @Test
  void aNoOpUpdateKeepsTheRevision() {
    Secret before = secret("1", Map.of(), data(BASE));
    Secret after = secret("2", Map.of("cert-manager.io/certificate-name", "db"), data(BASE));
    assertThat(TlsRevision.of(after)).isEqualTo(TlsRevision.of(before));
  }

  /**
   * The digest is the one generated Secrets carried before user Secrets had revisions: changing it
   * would restart every generated-TLS cluster's pods on upgrade.
   */
  @Test
  void theDigestIsStableAcrossVersions() {
    assertThat(TlsRevision.of(data("tls.crt=QQ==;tls.key=Qg==;ca.crt=Qw==")))
        .isEqualTo("d4d8e9629e2aa542");
    assertThat(TlsRevision.of(secret("1", Map.of(), data(BASE))))
        .isEqualTo(TlsRevision.of(data(BASE)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case          | data                                      | missing
          complete        | tls.crt=Y2VydA==;tls.key=a2V5;ca.crt=Y2E=  |
          no CA           | tls.crt=Y2VydA==;tls.key=a2V5              | ca.crt
          empty key       | tls.crt=Y2VydA==;tls.key=;ca.crt=Y2E=      | tls.key
          only a CA       | ca.crt=Y2E=                               | tls.crt tls.key
          nothing         |                                           | tls.crt tls.key ca.crt
          """)
  void missingKeys(String description, String data, String missing) {
    assertThat(TlsRevision.missing(data(data)))
        .containsExactlyElementsOf(missing == null ? List.of() : Arrays.asList(missing.split(" ")));
  }

  static Map<String, String> data(String notation) {
    Map<String, String> data = new LinkedHashMap<>();
    if (notation == null) {
      return data;
    }
    for (String entry : notation.split(";")) {
      int eq = entry.indexOf('=');
      data.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    return data;
  }

  static Secret secret(
      String resourceVersion, Map<String, String> annotations, Map<String, String> data) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName("db-certs")
        .withResourceVersion(resourceVersion)
        .withAnnotations(annotations)
        .endMetadata()
        .withData(data)
        .build();
  }
}
