package io.dqlite.client.net.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a server's chain against the trusted authorities, then that its certificate carries the
 * expected DNS name, as go-dqlite's {@code SimpleDialTLSConfig} (ServerName = the first DNS name of
 * the client's own certificate). Names are matched against the DNS subject alternative names,
 * case-insensitively; a SAN {@code *.example} matches one more leftmost label, and an expected name
 * that is itself a wildcard matches the same wildcard. The dialled host is not used: nodes are
 * dialled by whatever address the cluster lists (an IP, a pod's DNS name), while the identity to
 * check is fixed by configuration.
 */
final class ServerNameTrustManager extends X509ExtendedTrustManager {

  private static final int DNS_NAME = 2;

  private final X509ExtendedTrustManager chainCheck;
  private final String expectedName;

  ServerNameTrustManager(X509ExtendedTrustManager chainCheck, String expectedName) {
    this.chainCheck = chainCheck;
    this.expectedName = expectedName.toLowerCase(Locale.ROOT);
  }

  /** Whether a certificate naming {@code dnsNames} may answer as {@code expected}. Pure. */
  static boolean matches(List<String> dnsNames, String expected) {
    String want = expected.toLowerCase(Locale.ROOT);
    for (String raw : dnsNames) {
      String name = raw.toLowerCase(Locale.ROOT);
      if (name.equals(want)) {
        return true;
      }
      if (name.startsWith("*.") && !want.startsWith("*.")) {
        int dot = want.indexOf('.');
        if (dot > 0 && want.substring(dot).equals(name.substring(1))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The DNS subject alternative names of {@code certificate}. */
  static List<String> dnsNames(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2 && Integer.valueOf(DNS_NAME).equals(san.get(0))) {
            names.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // no usable names
    }
    return names;
  }

  private void checkName(X509Certificate leaf) throws CertificateException {
    List<String> names = dnsNames(leaf);
    if (!matches(names, expectedName)) {
      throw new CertificateException(
          "the server's certificate "
              + leaf.getSubjectX500Principal()
              + " does not name "
              + expectedName
              + " (it names "
              + (names.isEmpty() ? "no DNS name" : "DNS " + String.join(", ", names))
              + "); issue the server a certificate with that DNS name, or expect the name it has"
              + " (by default the first DNS name of the own certificate is expected; JDBC"
              + " property tlsServerName)");
    }
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
}
