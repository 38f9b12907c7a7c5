package io.dqlite.sidecar.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.sidecar.tls.LoopbackExchange.Outcome;
import io.dqlite.sidecar.tls.TestCertificates.Authority;
import io.dqlite.sidecar.tls.TestCertificates.Issued;
import io.dqlite.sidecar.tls.TestCertificates.KeyFormat;
import io.dqlite.sidecar.tls.TestCertificates.KeyType;
import io.dqlite.sidecar.tls.TestCertificates.PemPaths;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mutual TLS between the listen and dial settings, on 127.0.4.x. */
class SimpleTlsTest {

  private static final String NAME = "dqlite.test";

  private static Authority ca;
  private static Issued node1;
  private static Issued node2;

  @BeforeAll
  static void certificates() {
    ca = TestCertificates.authority("dqlite-test-ca");
    node1 = ca.node("node-1").dns(NAME, "node-1.dqlite.test").ip("127.0.4.1").issue();
    node2 = ca.node("node-2").dns(NAME, "node-2.dqlite.test").ip("127.0.4.2").issue();
  }

  @Test
  void sameAuthorityHandshakesBothWays() throws Exception {
    Outcome oneServes =
        LoopbackExchange.run(
            SimpleTls.listen(node1.credentials()),
            SimpleTls.dial(node2.credentials()),
            "127.0.4.1");
    Outcome twoServes =
        LoopbackExchange.run(
            SimpleTls.listen(node2.credentials()),
            SimpleTls.dial(node1.credentials()),
            "127.0.4.2");

    assertThat(oneServes.succeeded()).as("%s", oneServes).isTrue();
    assertThat(oneServes.clientSeenByServer())
        .isEqualTo(node2.certificate().getSubjectX500Principal());
    assertThat(oneServes.serverSeenByClient())
        .isEqualTo(node1.certificate().getSubjectX500Principal());
    assertThat(oneServes.protocol()).isIn("TLSv1.3", "TLSv1.2");
    assertThat(twoServes.succeeded()).as("%s", twoServes).isTrue();
    assertThat(twoServes.clientSeenByServer())
        .isEqualTo(node1.certificate().getSubjectX500Principal());
  }

  @ParameterizedTest(name = "{0} key as {1}")
  @CsvSource({"EC, PKCS8", "EC, TRADITIONAL", "RSA, PKCS8", "RSA, TRADITIONAL"})
  void credentialsFromPemFilesHandshake(KeyType type, KeyFormat format, @TempDir Path dir)
      throws Exception {
    Issued rsaOrEc = ca.node("node-3").dns(NAME).ip("127.0.4.3").keyType(type).issue();
    PemPaths files = rsaOrEc.write(dir, "node-3", format);
    TlsCredentials loaded =
        TlsCredentials.load(files.certificate(), files.key(), files.authorities());

    Outcome outcome =
        LoopbackExchange.run(
            SimpleTls.listen(loaded), SimpleTls.dial(node1.credentials()), "127.0.4.3");
    Outcome reverse =
        LoopbackExchange.run(
            SimpleTls.listen(node1.credentials()), SimpleTls.dial(loaded), "127.0.4.1");

    assertThat(outcome.succeeded()).as("%s", outcome).isTrue();
    assertThat(reverse.succeeded()).as("%s", reverse).isTrue();
  }

  @Test
  void goDqliteSharedSelfSignedCertificateWorks(@TempDir Path dir) throws Exception {
    Issued shared = TestCertificates.selfSigned("dqlite", List.of(NAME), List.of("127.0.4.4"));
    PemPaths files = shared.write(dir, "cluster", KeyFormat.PKCS8);
    // As go-dqlite's documentation does: the certificate file is its own pool.
    TlsCredentials credentials =
        TlsCredentials.load(files.certificate(), files.key(), files.certificate());

    Outcome outcome =
        LoopbackExchange.run(
            SimpleTls.listen(credentials), SimpleTls.dial(credentials), "127.0.4.4");

    assertThat(outcome.succeeded()).as("%s", outcome).isTrue();
  }

  @Test
  void clientCertificateFromAnotherAuthorityIsRefused() throws Exception {
    Issued stranger = TestCertificates.authority("other-ca").node("stranger").dns(NAME).issue();

    Outcome outcome =
        LoopbackExchange.run(
            SimpleTls.listen(node1.credentials()),
            SimpleTls.dial(stranger.trusting(ca.certificate())),
            "127.0.4.5");

    assertThat(outcome.serverError()).isInstanceOf(SSLHandshakeException.class);
    assertThat(outcome.clientError()).isNotNull();
  }

  @Test
  void impostorAuthorityWithTheSameNameIsRefused() throws Exception {
    // Same subject as the real authority, so the client does present its certificate and the
    // server must reject it on the signature, not on the issuer's name.
    Issued impostor =
        TestCertificates.authority("dqlite-test-ca").node("impostor").dns(NAME).issue();

    Outcome outcome =
        LoopbackExchange.run(
            SimpleTls.listen(node1.credentials()),
            SimpleTls.dial(impostor.trusting(ca.certificate())),
            "127.0.4.6");

    assertThat(outcome.serverError())
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("PKIX");
    assertThat(outcome.clientError()).isNotNull();
  }

  @Test
  void serverFromAnotherAuthorityIsRefused() throws Exception {
    Issued stranger = TestCertificates.authority("other-ca").node("stranger").dns(NAME).issue();

    Outcome outcome =
        LoopbackExchange.run(
            SimpleTls.listen(stranger.trusting(ca.certificate())),
            SimpleTls.dial(node1.credentials()),
            "127.0.4.7");

    assertThat(outcome.clientError())
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("PKIX");
  }

  @Test
  void expiredClientCertificateIsRefused() throws Exception {
    Issued expired = ca.node("expired").dns(NAME).expired().issue();

    Outcome outcome =
        LoopbackExchange.run(
            SimpleTls.listen(node1.credentials()),
            SimpleTls.dial(expired.credentials()),
            "127.0.4.8");

    assertThat(outcome.serverError()).isInstanceOf(SSLHandshakeException.class);
    assertThat(outcome.serverError()).hasRootCauseInstanceOf(CertificateExpiredException.class);
  }

  @Test
  void expiredServerCertificateIsRefused() throws Exception {
    Issued expired = ca.node("expired").dns(NAME).expired().issue();

    Outcome outcome =
        LoopbackExchange.run(
            SimpleTls.listen(expired.credentials()),
            SimpleTls.dial(node1.credentials()),
            "127.0.4.9");

    assertThat(outcome.clientError()).isInstanceOf(SSLHandshakeException.class);
    assertThat(outcome.clientError()).hasRootCauseInstanceOf(CertificateExpiredException.class);
  }

  @Test
  void serverWithoutTheExpectedNameIsRefused() throws Exception {
    Issued elsewhere = ca.node("elsewhere").dns("other.test").ip("127.0.4.10").issue();

    Outcome outcome =
        LoopbackExchange.run(
            SimpleTls.listen(elsewhere.credentials()),
            SimpleTls.dial(node1.credentials()),
            "127.0.4.10");

    assertThat(outcome.clientError())
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("does not name " + NAME);
  }

  @Test
  void explicitNameMatchesAWildcardCertificate() throws Exception {
    Issued wildcard = ca.node("pods").dns("*.dqlite.ns.svc").issue();

    Outcome matching =
        LoopbackExchange.run(
            SimpleTls.listen(wildcard.credentials()),
            SimpleTls.dial(node1.credentials(), "pod-0.dqlite.ns.svc"),
            "127.0.4.11");
    Outcome twoLabels =
        LoopbackExchange.run(
            SimpleTls.listen(wildcard.credentials()),
            SimpleTls.dial(node1.credentials(), "a.pod-0.dqlite.ns.svc"),
            "127.0.4.11");

    assertThat(matching.succeeded()).as("%s", matching).isTrue();
    assertThat(twoLabels.clientError()).hasMessageContaining("does not name");
  }

  @Test
  void sharedWildcardCertificateExpectsItsOwnFirstName() throws Exception {
    // go-dqlite sets ServerName to DNSNames[0] even when that is a wildcard, and Go then compares
    // it literally; nodes sharing one wildcard certificate must keep working.
    Issued wildcard = ca.node("pods").dns("*.dqlite.ns.svc").issue();

    Outcome outcome =
        LoopbackExchange.run(
            SimpleTls.listen(wildcard.credentials()),
            SimpleTls.dial(wildcard.credentials()),
            "127.0.4.12");

    assertThat(outcome.succeeded()).as("%s", outcome).isTrue();
  }

  @Test
  void parametersAreTls12OrLaterAndMutual() {
    SSLParameters server = SimpleTls.listen(node1.credentials()).parameters();
    SSLParameters client = SimpleTls.dial(node1.credentials()).parameters();

    assertThat(server.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(server.getNeedClientAuth()).isTrue();
    assertThat(client.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(client.getServerNames()).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(1);
    assertThat(SimpleTls.listen(node1.credentials()).clientMode()).isFalse();
    assertThat(SimpleTls.dial(node1.credentials()).clientMode()).isTrue();
  }

  @Test
  void dialNeedsADnsNameToExpect() {
    Issued nameless = ca.node("nameless").ip("127.0.4.13").issue();

    assertThatThrownBy(() -> SimpleTls.dial(nameless.credentials()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no DNS subject alternative name");
  }
}
