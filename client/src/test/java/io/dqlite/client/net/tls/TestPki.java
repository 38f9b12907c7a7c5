package io.dqlite.client.net.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Authorities and certificates for TLS tests, written as PEM files (BouncyCastle, tests only). */
final class TestPki {

  private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

  private TestPki() {}

  /** A key pair and the certificate for it. */
  record Issued(X509Certificate certificate, KeyPair keys) {

    /** Writes the certificate as PEM. */
    Path writeCertificate(Path file) {
      write(file, pem("CERTIFICATE", encoded(certificate)));
      return file;
    }

    /** Writes the private key as PKCS#8 ({@code PRIVATE KEY}). */
    Path writePkcs8Key(Path file) {
      write(file, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      return file;
    }

    /**
     * Writes the private key in OpenSSL's traditional form: PKCS#1 RSA, or SEC1 EC with the named
     * curve in its parameters (as {@code openssl ec} and Go's {@code MarshalECPrivateKey} write).
     */
    Path writeTraditionalKey(Path file) {
      try {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        if (keys.getPrivate().getAlgorithm().equals("RSA")) {
          byte[] pkcs1 = info.parsePrivateKey().toASN1Primitive().getEncoded();
          write(file, pem("RSA PRIVATE KEY", pkcs1));
        } else {
          ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
          ECPrivateKey withCurve =
              new ECPrivateKey(
                  256,
                  inner.getKey(),
                  inner.getPublicKey(),
                  info.getPrivateKeyAlgorithm().getParameters());
          write(file, pem("EC PRIVATE KEY", withCurve.getEncoded()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return file;
    }

    /** A certificate signed by this one, which must be an authority. */
    Issued issue(String commonName, String keyType, String... dnsNames) {
      return TestPki.issue(commonName, keyType, false, this, dnsNames);
    }
  }

  /** A self-signed authority (EC P-256). */
  static Issued authority(String commonName) {
    return issue(commonName, "EC", true, null);
  }

  private static Issued issue(
      String commonName, String keyType, boolean ca, Issued issuer, String... dnsNames) {
    try {
      KeyPair keys = generate(keyType);
      X500Principal subject = new X500Principal("CN=" + commonName);
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer == null ? subject : issuer.certificate().getSubjectX500Principal(),
              BigInteger.valueOf(SERIALS.incrementAndGet()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              subject,
              keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (dnsNames.length > 0) {
        GeneralName[] names =
            List.of(dnsNames).stream()
                .map(n -> new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      KeyPair signer = issuer == null ? keys : issuer.keys();
      String algorithm =
          signer.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
      return new Issued(certificate, keys);
    } catch (Exception e) {
      throw new IllegalStateException("issue test certificate: " + e, e);
    }
  }

  private static KeyPair generate(String type) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
    if (type.equals("EC")) {
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      generator.initialize(2048);
    }
    return generator.generateKeyPair();
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
