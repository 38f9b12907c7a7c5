package io.dqlite.operator.dependents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.net.Transport;
import io.dqlite.client.net.tls.TlsDialer;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.membership.ClusterDialers;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;

class GeneratedTlsTest {

  final DqliteCluster cr = TestClusters.cluster();
  final Instant now = Instant.parse("2026-11-25T10:00:00Z");
  final Secret secret = GeneratedTls.build(cr, TestClusters.DOMAIN, now);

  @Test
  void theSecretHoldsTheThreeFilesTheSidecarReads() {
    assertThat(secret.getMetadata().getName()).isEqualTo("db-tls");
    assertThat(secret.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(secret.getMetadata().getLabels()).containsAllEntriesOf(ClusterNames.labels(cr));
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt");
    assertThat(text("tls.key")).startsWith("-----BEGIN PRIVATE KEY-----\n");
  }

  @Test
  void theNodeCertificateNamesEveryPodAndTheClientServiceFirstTheOnePeersExpect() throws Exception {
    X509Certificate node = certificate("tls.crt");
    List<String> dns =
        node.getSubjectAlternativeNames().stream()
            .filter(san -> Integer.valueOf(2).equals(san.get(0)))
            .map(san -> (String) san.get(1))
            .toList();
    assertThat(dns)
        .containsExactly(
            "db-headless.shop.svc.cluster.local",
            "*.db-headless.shop.svc.cluster.local",
            "*.db-headless.shop.svc",
            "db.shop.svc.cluster.local",
            "db.shop.svc",
            "db.shop",
            "db");
    assertThat(node.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(node.getBasicConstraints()).isEqualTo(-1);
    assertThat(node.getNotBefore().toInstant()).isEqualTo(now);
    assertThat(node.getNotAfter().toInstant()).isEqualTo(now.plus(GeneratedTls.NODE_VALIDITY));
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry(
            GeneratedTls.NOT_AFTER_ANNOTATION, node.getNotAfter().toInstant().toString());
  }

  @Test
  void theCaSignsTheNodeCertificate() throws Exception {
    X509Certificate ca = certificate("ca.crt");
    X509Certificate node = certificate("tls.crt");
    node.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isEqualTo(0);
    assertThat(node.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    assertThat(ca.getNotAfter().toInstant()).isEqualTo(now.plus(GeneratedTls.CA_VALIDITY));
  }

  @Test
  void everyBuildIsANewCa() throws Exception {
    Secret other = GeneratedTls.build(cr, TestClusters.DOMAIN, now);
    assertThat(certificate(other, "ca.crt").getPublicKey())
        .isNotEqualTo(certificate("ca.crt").getPublicKey());
  }

  @Test
  void twoNodesHandshakeOverMutualTlsWithTheGeneratedFiles() throws Exception {
    try (SSLServerSocket server = server(secret)) {
      CompletableFuture<String> accepted = accept(server);
      TlsDialer dialer = dialer(secret);
      assertThat(dialer.serverName()).isEqualTo("db-headless.shop.svc.cluster.local");
      try (Transport t = dialer.dial("127.0.0.1:" + server.getLocalPort(), Duration.ofSeconds(5))) {
        t.output().write('x');
        t.output().flush();
        assertThat(accepted.get(20, TimeUnit.SECONDS))
            .isEqualTo("x from CN=db-headless.shop.svc.cluster.local,O=dqlite");
      }
    }
  }

  @Test
  void anotherClustersCertificateIsRefused() throws Exception {
    Secret stranger =
        GeneratedTls.build(TestClusters.named("other", s -> {}), TestClusters.DOMAIN, now);
    try (SSLServerSocket server = server(secret)) {
      accept(server);
      assertThatThrownBy(
              () ->
                  dialer(stranger)
                      .dial("127.0.0.1:" + server.getLocalPort(), Duration.ofSeconds(5)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("TLS handshake failed");
    }
  }

  @Test
  void theCaKeyIsKeptInItsOwnSecretAndReadBack() {
    TlsCertificates.Authority ca = GeneratedTls.newAuthority(cr, now);
    Secret caSecret = GeneratedTls.caSecret(cr, ca);
    assertThat(caSecret.getMetadata().getName()).isEqualTo("db-tls-ca");
    assertThat(caSecret.getData()).containsOnlyKeys("ca.crt", "ca.key");
    TlsCertificates.Authority read = GeneratedTls.readCa(caSecret).orElseThrow();
    assertThat(read.certificate()).isEqualTo(ca.certificate());
    assertThat(read.key()).isEqualTo(ca.key());
    GeneratedTls.Material m = GeneratedTls.readTls(secret).orElseThrow();
    assertThat(GeneratedTls.tlsSecret(cr, m).getData()).isEqualTo(secret.getData());
    assertThat(TlsRevision.of(GeneratedTls.tlsSecret(cr, m)))
        .isEqualTo(TlsRevision.of(secret))
        .hasSize(16);
  }

  @Test
  void aNodeCertificateNeverOutlivesItsCa() {
    TlsCertificates.Authority ca = GeneratedTls.newAuthority(cr, now);
    Instant late = now.plus(GeneratedTls.CA_VALIDITY).minus(Duration.ofDays(10));
    GeneratedTls.Material m =
        GeneratedTls.issue(cr, TestClusters.DOMAIN, ca, List.of(ca.certificate()), late);
    assertThat(m.node().certificate().getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
  }

  /**
   * A CA rotation in its three steps: at every step, a pod restarted onto the new Secret and a pod
   * still on the previous one accept each other in both directions; skipping the middle step would
   * not.
   */
  @Test
  void everyStepOfACaRotationKeepsOldAndNewPodsTalking() throws Exception {
    TlsCertificates.Authority a = GeneratedTls.newAuthority(cr, now);
    GeneratedTls.Material start =
        GeneratedTls.issue(cr, TestClusters.DOMAIN, a, List.of(a.certificate()), now);
    TlsCertificates.Authority b = GeneratedTls.newAuthority(cr, now.plusSeconds(5));
    GeneratedTls.Material trustBoth =
        new GeneratedTls.Material(start.node(), List.of(b.certificate(), a.certificate()));
    GeneratedTls.Material switched =
        GeneratedTls.issue(cr, TestClusters.DOMAIN, b, trustBoth.trusted(), now.plusSeconds(5));
    GeneratedTls.Material retired =
        new GeneratedTls.Material(switched.node(), List.of(b.certificate()));
    List<Secret> steps =
        List.of(start, trustBoth, switched, retired).stream()
            .map(m -> GeneratedTls.tlsSecret(cr, m))
            .toList();
    for (int i = 1; i < steps.size(); i++) {
      assertThat(handshake(steps.get(i - 1), steps.get(i)))
          .as("step %d, new dials old", i)
          .startsWith("x from");
      assertThat(handshake(steps.get(i), steps.get(i - 1)))
          .as("step %d, old dials new", i)
          .startsWith("x from");
    }
    assertThatThrownBy(() -> handshake(steps.get(2), steps.get(0)))
        .as("a node certificate from a CA the dialling pod does not trust yet")
        .isInstanceOf(IOException.class);
  }

  private static String handshake(Secret serverSecret, Secret clientSecret) throws Exception {
    try (SSLServerSocket server = server(serverSecret)) {
      CompletableFuture<String> accepted = accept(server);
      try (Transport t =
          dialer(clientSecret).dial("127.0.0.1:" + server.getLocalPort(), Duration.ofSeconds(5))) {
        t.output().write('x');
        t.output().flush();
        return accepted.get(20, TimeUnit.SECONDS);
      }
    }
  }

  private static CompletableFuture<String> accept(SSLServerSocket server) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread t = new Thread(() -> serve(server, result), "tls-test-server");
    t.setDaemon(true);
    t.start();
    return result;
  }

  /**
   * Completes {@code result} before closing: closing a TLS 1.3 socket waits (up to its timeout) for
   * the peer's close_notify, and the peer closes only after it has the result.
   */
  private static void serve(SSLServerSocket server, CompletableFuture<String> result) {
    try (SSLSocket s = (SSLSocket) server.accept()) {
      s.setSoTimeout(10_000);
      int b = s.getInputStream().read();
      X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
      result.complete((char) b + " from " + peer.getSubjectX500Principal().getName());
    } catch (IOException e) {
      result.complete("failed: " + e.getMessage());
    }
  }

  private static TlsDialer dialer(Secret s) {
    return ClusterDialers.tlsDialer(
        "Secret " + s.getMetadata().getName(),
        text(s, "tls.crt"),
        text(s, "tls.key"),
        text(s, "ca.crt"));
  }

  private static SSLServerSocket server(Secret s) throws Exception {
    KeyStore identity = KeyStore.getInstance("PKCS12");
    identity.load(null, null);
    PrivateKeyInfo info;
    try (PEMParser parser = new PEMParser(new java.io.StringReader(text(s, "tls.key")))) {
      info = (PrivateKeyInfo) parser.readObject();
    }
    identity.setKeyEntry(
        "node",
        new JcaPEMKeyConverter().getPrivateKey(info),
        "p".toCharArray(),
        new X509Certificate[] {certificate(s, "tls.crt")});
    KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
    keys.init(identity, "p".toCharArray());
    KeyStore roots = KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    List<X509Certificate> authorities = TlsCertificates.certificates(text(s, "ca.crt"));
    for (int i = 0; i < authorities.size(); i++) {
      roots.setCertificateEntry("ca-" + i, authorities.get(i));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    trust.init(roots);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    SSLServerSocket server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
    server.setNeedClientAuth(true);
    return server;
  }

  private String text(String key) {
    return text(secret, key);
  }

  private static String text(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.US_ASCII);
  }

  private X509Certificate certificate(String key) throws Exception {
    return certificate(secret, key);
  }

  private static X509Certificate certificate(Secret s, String key) throws Exception {
    try (InputStream in =
        new ByteArrayInputStream(Base64.getDecoder().decode(s.getData().get(key)))) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
