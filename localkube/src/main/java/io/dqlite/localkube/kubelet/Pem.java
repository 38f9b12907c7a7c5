package io.dqlite.localkube.kubelet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the PEM files control-plane.sh writes (PKCS#8 RSA keys, X.509 certificates). */
final class Pem {
  private static final Pattern KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([^-]+)-----END PRIVATE KEY-----");

  private Pem() {}

  /** A key store holding the key and its certificate chain under the alias "kubelet". */
  static KeyStore keyStore(Path cert, Path key, char[] password)
      throws IOException, GeneralSecurityException {
    Matcher m = KEY.matcher(Files.readString(key));
    if (!m.find()) {
      throw new IOException(
          key
              + ": no PKCS#8 'BEGIN PRIVATE KEY' block (convert with"
              + " openssl pkcs8 -topk8 -nocrypt)");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    PrivateKey pk = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, password);
    ks.setKeyEntry("kubelet", pk, password, certificates(cert).toArray(new Certificate[0]));
    return ks;
  }

  /** A trust store with every certificate of {@code ca}. */
  static KeyStore trustStore(Path ca) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    int i = 0;
    for (Certificate c : certificates(ca)) {
      ks.setCertificateEntry("ca-" + i++, c);
    }
    return ks;
  }

  private static Collection<? extends Certificate> certificates(Path file)
      throws IOException, GeneralSecurityException {
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
  }
}
