package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates of generated TLS: a CA per cluster and the node certificate it signs, EC P-256 keys
 * and SHA-256 signatures (BouncyCastle only builds and parses them), and their PEM forms.
 */
public final class TlsCertificates {

  /** A CA certificate with its private key. */
  public record Authority(X509Certificate certificate, PrivateKey key) {}

  /** The node certificate with its private key. */
  public record Node(X509Certificate certificate, PrivateKey key) {}

  private TlsCertificates() {}

  /**
   * A new CA for {@code cr}, valid from {@code now} for {@code validity}. Its name carries the
   * issue time, so that two CAs of one cluster (old and new during a rotation) differ by name too.
   */
  public static Authority authority(DqliteCluster cr, Instant now, java.time.Duration validity) {
    try {
      KeyPair keys = keys();
      String name = cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
      X500Principal subject =
          new X500Principal(
              "CN=dqlite CA for " + name + " " + now.truncatedTo(ChronoUnit.SECONDS) + ",O=dqlite");
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(now),
              Date.from(now.plus(validity)),
              subject,
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      return new Authority(sign(b, keys.getPrivate()), keys.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw failed("a CA", cr, e);
    }
  }

  /**
   * A node certificate signed by {@code ca}, with {@code dnsNames} (the first one also as its
   * common name), for server and client authentication, valid from {@code now} until {@code
   * notAfter} (the caller keeps it within the CA's validity).
   */
  public static Node node(
      DqliteCluster cr, Authority ca, List<String> dnsNames, Instant now, Instant notAfter) {
    try {
      KeyPair keys = keys();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              ca.certificate(),
              serial(),
              Date.from(now),
              Date.from(notAfter),
              new X500Principal("CN=" + dnsNames.get(0) + ",O=dqlite"),
              keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              dnsNames.stream()
                  .map(d -> new GeneralName(GeneralName.dNSName, d))
                  .toArray(GeneralName[]::new)));
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          utils.createAuthorityKeyIdentifier(ca.certificate()));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
      return new Node(sign(b, ca.key()), keys.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw failed("a node certificate", cr, e);
    }
  }

  /** Whether {@code ca}'s key signed {@code certificate}. */
  public static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
    try {
      certificate.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** SHA-256 of the DER encoding, hex: how a certificate is named in decisions and logs. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("fingerprint a certificate: " + e.getMessage(), e);
    }
  }

  public static String pem(X509Certificate certificate) {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encode a certificate: " + e.getMessage(), e);
    }
  }

  public static String pem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /** Every certificate in a PEM text, in order. */
  public static List<X509Certificate> certificates(String pem) {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .stream()
          .map(X509Certificate.class::cast)
          .toList();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("read PEM certificates: " + e.getMessage(), e);
    }
  }

  /** The PKCS#8 private key of a PEM text. */
  public static PrivateKey privateKey(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      if (!(o instanceof PrivateKeyInfo info)) {
        throw new IllegalArgumentException(
            "read a PEM private key: expected PRIVATE KEY (PKCS#8), found "
                + (o == null ? "nothing" : o.getClass().getSimpleName()));
      }
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException e) {
      throw new IllegalArgumentException("read a PEM private key: " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
  }

  private static IllegalStateException failed(String what, DqliteCluster cr, Exception e) {
    return new IllegalStateException(
        "generate "
            + what
            + " for "
            + cr.getMetadata().getNamespace()
            + "/"
            + cr.getMetadata().getName()
            + ": "
            + e.getMessage(),
        e);
  }
}
