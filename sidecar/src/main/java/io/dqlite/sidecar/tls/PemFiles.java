package io.dqlite.sidecar.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads certificates and private keys from PEM files, as Go's {@code tls.LoadX509KeyPair} and
 * {@code CertPool.AppendCertsFromPEM} accept them. Every error names the file and says what was
 * expected.
 */
public final class PemFiles {

  private static final JcaX509CertificateConverter CERTIFICATES = new JcaX509CertificateConverter();
  private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

  private PemFiles() {}

  /**
   * The certificates of a file of {@code CERTIFICATE} blocks, in file order: a chain (leaf first)
   * or a pool of authorities.
   *
   * @throws PemFileException when the file is unreadable, holds no certificate, or holds anything
   *     else
   */
  public static List<X509Certificate> readCertificates(Path file) throws PemFileException {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Object object : readObjects(file)) {
      if (!(object instanceof X509CertificateHolder holder)) {
        throw new PemFileException(
            file,
            "expected only CERTIFICATE blocks but found "
                + describe(object)
                + "; is this the key file or the certificate file?");
      }
      try {
        certificates.add(CERTIFICATES.getCertificate(holder));
      } catch (CertificateException e) {
        throw new PemFileException(file, "invalid certificate: " + e.getMessage(), e);
      }
    }
    if (certificates.isEmpty()) {
      throw new PemFileException(
          file, "no PEM certificate found (expected -----BEGIN CERTIFICATE----- blocks)");
    }
    return List.copyOf(certificates);
  }

  /**
   * The private key of a file holding exactly one unencrypted key: PKCS#8 ({@code PRIVATE KEY}),
   * PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC ({@code EC PRIVATE KEY}, optionally after an
   * {@code EC PARAMETERS} block as {@code openssl ecparam -genkey} writes).
   *
   * @throws PemFileException when the file is unreadable, encrypted, or holds no key or more
   */
  public static PrivateKey readPrivateKey(Path file) throws PemFileException {
    PrivateKeyInfo found = null;
    for (Object object : readObjects(file)) {
      PrivateKeyInfo info;
      if (object instanceof PEMKeyPair pair) {
        info = pair.getPrivateKeyInfo();
      } else if (object instanceof PrivateKeyInfo plain) {
        info = plain;
      } else if (object instanceof ASN1ObjectIdentifier || object instanceof X9ECParameters) {
        continue; // EC PARAMETERS: the curve is repeated inside the key itself
      } else if (object instanceof PEMEncryptedKeyPair
          || object instanceof PKCS8EncryptedPrivateKeyInfo) {
        throw new PemFileException(
            file,
            "the private key is encrypted; give an unencrypted key (e.g. `openssl pkey -in "
                + file
                + " -out key.pem`)");
      } else {
        throw new PemFileException(
            file,
            "expected a private key but found "
                + describe(object)
                + "; is this the certificate file instead of the key file?");
      }
      if (found != null) {
        throw new PemFileException(file, "holds more than one private key; keep only one");
      }
      found = info;
    }
    if (found == null) {
      throw new PemFileException(
          file,
          "no PEM private key found (expected a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY"
              + " block)");
    }
    try {
      return KEYS.getPrivateKey(found);
    } catch (IOException e) {
      throw new PemFileException(file, "unsupported private key: " + e.getMessage(), e);
    }
  }

  private static List<Object> readObjects(Path file) throws PemFileException {
    String text;
    try {
      // ISO-8859-1 maps every byte, so a binary file reaches the parser and reads as "no PEM".
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new PemFileException(file, "no such file", e);
    } catch (IOException e) {
      throw new PemFileException(file, "cannot read: " + e, e);
    }
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        objects.add(object);
      }
    } catch (IOException | RuntimeException e) {
      // PEMParser reports bad base64, bad DER and unknown block types as IOException or
      // IllegalArgumentException; both mean the same thing to the operator.
      throw new PemFileException(file, "not a valid PEM file: " + e.getMessage(), e);
    }
    return objects;
  }

  private static String describe(Object object) {
    if (object instanceof PEMKeyPair || object instanceof PrivateKeyInfo) {
      return "a private key";
    }
    if (object instanceof X509CertificateHolder) {
      return "a certificate";
    }
    if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
      return "an encrypted private key";
    }
    return "a " + object.getClass().getSimpleName();
  }
}
