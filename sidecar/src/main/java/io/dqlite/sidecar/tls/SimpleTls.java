package io.dqlite.sidecar.tls;

import io.dqlite.client.net.tls.PkixTrust;
import io.dqlite.client.net.tls.TlsDialer;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The Java equivalents of go-dqlite's {@code SimpleListenTLSConfig} and {@code SimpleDialTLSConfig}
 * (app/tls.go, v1.11.9): TLS 1.2 or 1.3, mutual authentication, and trust in the given authorities
 * only.
 *
 * <ul>
 *   <li>{@link #listen}: the server presents the node certificate and requires a client certificate
 *       that chains to an authority (no name check on clients, as in Go);
 *   <li>{@link #dial}: the client presents the same certificate, requires the server's to chain to
 *       an authority and to carry the expected DNS name: by default the first DNS name of its own
 *       certificate, as Go's {@code ServerName = cert.DNSNames[0]}, which fits the shared
 *       certificate (or one wildcard per cluster) go-dqlite expects. Built by the client library's
 *       {@link TlsDialer#mutual}, so the sidecar and the JDBC driver check servers alike.
 * </ul>
 *
 * <p>The listen side stays here: the client library only dials.
 */
public final class SimpleTls {

  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  private static final char[] IN_MEMORY_PASSWORD = "dqlite".toCharArray();

  private SimpleTls() {}

  /** Server side: mutual TLS, clients must chain to one of the authorities. */
  public static TlsConfig listen(TlsCredentials credentials) {
    X509ExtendedTrustManager chainCheck = PkixTrust.of(credentials.authorities());
    SSLContext context = context(credentials, chainCheck);
    return new TlsConfig(context, null, protocols(context), List.of());
  }

  /**
   * Client side, expecting servers to carry the first DNS name of our own certificate.
   *
   * @throws IllegalArgumentException when our certificate has no DNS name (go-dqlite panics)
   */
  public static TlsConfig dial(TlsCredentials credentials) {
    List<String> names = credentials.dnsNames();
    if (names.isEmpty()) {
      throw new IllegalArgumentException(
          "certificate "
              + credentials.chain().get(0).getSubjectX500Principal()
              + " has no DNS subject alternative name to expect from servers; add one (e.g."
              + " subjectAltName=DNS:dqlite) or give the expected server name explicitly");
    }
    return dial(credentials, names.get(0));
  }

  /** Client side, expecting servers' certificates to carry {@code expectedServerName}. */
  public static TlsConfig dial(TlsCredentials credentials, String expectedServerName) {
    if (expectedServerName == null || expectedServerName.isBlank()) {
      throw new IllegalArgumentException("the expected server name is empty");
    }
    // The client library's dialer is the one implementation of SimpleDialTLSConfig; its context
    // is the dial side's, for the sockets and engines TlsConfig wraps.
    TlsDialer dialer =
        TlsDialer.mutual(
            credentials.chain(), credentials.key(), credentials.authorities(), expectedServerName);
    SSLContext context = dialer.context();
    return new TlsConfig(context, dialer, protocols(context), sni(expectedServerName));
  }

  private static SSLContext context(TlsCredentials credentials, X509ExtendedTrustManager trust) {
    try {
      KeyStore identity = KeyStore.getInstance("PKCS12");
      identity.load(null, null);
      identity.setKeyEntry(
          "node",
          credentials.key(),
          IN_MEMORY_PASSWORD,
          credentials.chain().toArray(X509Certificate[]::new));
      KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
      keys.init(identity, IN_MEMORY_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("build TLS context: " + e.getMessage(), e);
    }
  }

  private static List<String> protocols(SSLContext context) {
    List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
    return PROTOCOLS.stream().filter(supported::contains).toList();
  }

  /** Server name indication as Go sends it; skipped for names SNI cannot carry (wildcards). */
  private static List<SNIServerName> sni(String name) {
    try {
      return List.of(new SNIHostName(name));
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }
}
