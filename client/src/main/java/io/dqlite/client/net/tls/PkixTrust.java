package io.dqlite.client.net.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** The chain check both ends of the project's TLS use: the dialer here and the sidecar's nodes. */
public final class PkixTrust {

  private PkixTrust() {}

  /** PKIX validation against {@code authorities} alone, without revocation checks (as Go). */
  public static X509ExtendedTrustManager of(List<X509Certificate> authorities) {
    try {
      KeyStore roots = KeyStore.getInstance("PKCS12");
      roots.load(null, null);
      int i = 0;
      for (X509Certificate authority : authorities) {
        roots.setCertificateEntry("authority-" + i++, authority);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(roots);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JDK's PKIX trust manager factory gave no X509 manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("build the TLS trust store: " + e.getMessage(), e);
    }
  }
}
