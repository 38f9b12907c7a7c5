package io.dqlite.sidecar.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a server's chain against the trusted authorities, then that its certificate names the
 * expected DNS name: the Java form of go-dqlite's {@code ServerName = cert.DNSNames[0]}.
 *
 * <p>The name is matched against the DNS subject alternative names only, case-insensitively; a SAN
 * {@code *.example} matches one extra leftmost label. The socket's host is not used: dqlite peers
 * are dialled by whatever address the cluster lists (IP, pod DNS name), while the identity to check
 * is fixed by configuration.
 */
final class PeerNameTrustManager extends X509ExtendedTrustManager {

  private final X509ExtendedTrustManager chainCheck;
  private final String expectedName;

  PeerNameTrustManager(X509ExtendedTrustManager chainCheck, String expectedName) {
    this.chainCheck = chainCheck;
    this.expectedName = expectedName;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    chainCheck.checkServerTrusted(chain, authType, socket);
    checkName(chain[0]);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    chainCheck.checkServerTrusted(chain, authType, engine);
    checkName(chain[0]);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    chainCheck.checkServerTrusted(chain, authType);
    checkName(chain[0]);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    chainCheck.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    chainCheck.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    chainCheck.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return chainCheck.getAcceptedIssuers();
  }

  private void checkName(X509Certificate certificate) throws CertificateException {
    List<String> names = TlsCredentials.dnsNames(certificate);
    for (String name : names) {
      if (matches(expectedName, name)) {
        return;
      }
    }
    throw new CertificateException(
        "server certificate "
            + certificate.getSubjectX500Principal()
            + " does not name "
            + expectedName
            + " (its DNS names: "
            + names
            + "); issue the server a certificate with that DNS name, or dial with the name it has");
  }

  /** Whether a certificate's DNS name covers the expected name. */
  static boolean matches(String expected, String certificateName) {
    String want = expected.toLowerCase(Locale.ROOT);
    String have = certificateName.toLowerCase(Locale.ROOT);
    if (want.equals(have)) {
      return true; // also covers go-dqlite's case of a wildcard DNSNames[0] expected literally
    }
    if (!have.startsWith("*.") || want.startsWith("*")) {
      return false;
    }
    int dot = want.indexOf('.');
    return dot > 0 && want.substring(dot).equals(have.substring(1));
  }
}
