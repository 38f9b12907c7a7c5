package io.dqlite.operator.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.net.tls.TlsDialer;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.TlsCertificates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator's TLS dialer from a Secret's PEM texts: the name it expects, the errors it gives.
 */
class ClusterDialersTest {

  private static final Instant NOW = Instant.now();
  private static final DqliteCluster CR = new DqliteCluster();
  private static final TlsCertificates.Authority CA =
      TlsCertificates.authority(CR, NOW.minusSeconds(60), Duration.ofDays(1));

  private static TlsDialer dialer(String... dnsNames) {
    TlsCertificates.Node node =
        TlsCertificates.node(
            CR, CA, List.of(dnsNames), NOW.minusSeconds(60), NOW.plusSeconds(3600));
    return ClusterDialers.tlsDialer(
        "Secret ns/db-tls",
        TlsCertificates.pem(node.certificate()),
        TlsCertificates.pem(node.key()),
        TlsCertificates.pem(CA.certificate()));
  }

  @Test
  void expectsTheFirstDnsNameOfTheCertificate() {
    assertThat(
            dialer("db-headless.ns.svc.cluster.local", "*.db-headless.ns.svc.cluster.local")
                .serverName())
        .isEqualTo("db-headless.ns.svc.cluster.local");
  }

  @Test
  void expectsAWildcardAsTheNameItCovers() {
    assertThat(dialer("*.db-headless.ns.svc", "db-headless.ns.svc").serverName())
        .isEqualTo("dqlite.db-headless.ns.svc");
  }

  @Test
  void aBadFieldIsNamedWithItsSecret() {
    TlsCertificates.Node node =
        TlsCertificates.node(CR, CA, List.of("dqlite"), NOW.minusSeconds(60), NOW.plusSeconds(60));
    String key = TlsCertificates.pem(node.key());
    String ca = TlsCertificates.pem(CA.certificate());

    assertThatThrownBy(() -> ClusterDialers.tlsDialer("Secret ns/db-tls", key, key, ca))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Secret ns/db-tls tls.crt: expected only CERTIFICATE blocks");
    assertThatThrownBy(
            () ->
                ClusterDialers.tlsDialer(
                    "Secret ns/db-tls", TlsCertificates.pem(node.certificate()), "", ca))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Secret ns/db-tls tls.key: no PEM private key found");
  }
}
