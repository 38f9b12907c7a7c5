package io.dqlite.sidecar.tls;

import java.io.IOException;
import java.io.StringWriter;
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
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates for tests: an authority, node certificates with DNS and IP subject alternative
 * names, and go-dqlite's self-signed shared certificate, written as PEM files.
 *
 * <pre>{@code
 * Authority ca = TestCertificates.authority("test-ca");
 * Issued node = ca.node("node-1").dns("dqlite.test").ip("127.0.4.1").issue();
 * PemPaths files = node.write(tempDir, "node-1", KeyFormat.PKCS8);
 * TlsCredentials credentials =
 *     TlsCredentials.load(files.certificate(), files.key(), files.authorities());
 * TlsCredentials inMemory = node.credentials(); // the same, without files
 * }</pre>
 */
public final class TestCertificates {

  private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());

  /** Key algorithms. */
  public enum KeyType {
    EC,
    RSA
  }

  /** How private keys are written: PKCS#8, or the traditional PKCS#1 (RSA) / SEC1 (EC) form. */
  public enum KeyFormat {
    PKCS8,
    TRADITIONAL
  }

  /** The three files a node's TLS set-up reads. */
  public record PemPaths(Path certificate, Path key, Path authorities) {}

  private TestCertificates() {}

  /** A new authority (EC P-256), valid from an hour ago for a day. */
  public static Authority authority(String commonName) {
    KeyPair keys = generate(KeyType.EC);
    Instant now = Instant.now();
    X500Principal name = new X500Principal("CN=" + commonName);
    X509Certificate certificate =
        sign(
            new JcaX509v3CertificateBuilder(
                name,
                serial(),
                from(now.minus(Duration.ofHours(1))),
                from(now.plus(Duration.ofDays(1))),
                name,
                keys.getPublic()),
            builder -> {
              builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
              builder.addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
              builder.addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            },
            keys);
    return new Authority(certificate, keys);
  }

  /**
   * go-dqlite's documented set-up: one self-signed certificate (a CA, as {@code openssl req -x509}
   * makes) shared by every node and used as its own trust pool.
   */
  public static Issued selfSigned(String commonName, List<String> dnsNames, List<String> ips) {
    KeyPair keys = generate(KeyType.EC);
    Instant now = Instant.now();
    X500Principal name = new X500Principal("CN=" + commonName);
    X509Certificate certificate =
        sign(
            new JcaX509v3CertificateBuilder(
                name,
                serial(),
                from(now.minus(Duration.ofHours(1))),
                from(now.plus(Duration.ofDays(1))),
                name,
                keys.getPublic()),
            builder -> {
              builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
              builder.addExtension(Extension.subjectAlternativeName, false, sans(dnsNames, ips));
            },
            keys);
    return new Issued(certificate, keys, certificate);
  }

  /** An authority and its key. */
  public record Authority(X509Certificate certificate, KeyPair keys) {

    /** Starts a node certificate: EC, valid from an hour ago for a day, no names yet. */
    public NodeRequest node(String commonName) {
      return new NodeRequest(this, commonName);
    }

    /** Writes the authority's certificate as PEM. */
    public Path write(Path file) {
      writePem(file, certificate);
      return file;
    }
  }

  /** A node certificate being specified. */
  public static final class NodeRequest {
    private final Authority authority;
    private final String commonName;
    private final List<String> dnsNames = new ArrayList<>();
    private final List<String> ips = new ArrayList<>();
    private KeyType keyType = KeyType.EC;
    private Instant notBefore = Instant.now().minus(Duration.ofHours(1));
    private Instant notAfter = Instant.now().plus(Duration.ofDays(1));

    private NodeRequest(Authority authority, String commonName) {
      this.authority = authority;
      this.commonName = commonName;
    }

    public NodeRequest dns(String... names) {
      dnsNames.addAll(List.of(names));
      return this;
    }

    public NodeRequest ip(String... addresses) {
      ips.addAll(List.of(addresses));
      return this;
    }

    public NodeRequest keyType(KeyType type) {
      keyType = type;
      return this;
    }

    public NodeRequest validity(Instant from, Instant to) {
      notBefore = from;
      notAfter = to;
      return this;
    }

    /** Valid from two days ago until yesterday. */
    public NodeRequest expired() {
      Instant now = Instant.now();
      return validity(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
    }

    public Issued issue() {
      KeyPair keys = generate(keyType);
      X509Certificate certificate =
          sign(
              new JcaX509v3CertificateBuilder(
                  authority.certificate(),
                  serial(),
                  from(notBefore),
                  from(notAfter),
                  new X500Principal("CN=" + commonName),
                  keys.getPublic()),
              builder -> {
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                builder.addExtension(
                    Extension.extendedKeyUsage,
                    false,
                    new ExtendedKeyUsage(
                        new KeyPurposeId[] {
                          KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                        }));
                builder.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    utils.createAuthorityKeyIdentifier(authority.certificate()));
                if (!dnsNames.isEmpty() || !ips.isEmpty()) {
                  builder.addExtension(
                      Extension.subjectAlternativeName, false, sans(dnsNames, ips));
                }
              },
              authority.keys());
      return new Issued(certificate, keys, authority.certificate());
    }
  }

  /** A certificate, its key and the authority to trust for it. */
  public record Issued(X509Certificate certificate, KeyPair keys, X509Certificate authority) {

    /** The credentials in memory, without files. */
    public TlsCredentials credentials() {
      return new TlsCredentials(keys.getPrivate(), List.of(certificate), List.of(authority));
    }

    /** The same identity trusting other authorities. */
    public TlsCredentials trusting(X509Certificate... authorities) {
      return new TlsCredentials(keys.getPrivate(), List.of(certificate), List.of(authorities));
    }

    /** Writes {@code <name>.crt}, {@code <name>.key} and {@code <name>-ca.crt} into dir. */
    public PemPaths write(Path dir, String name, KeyFormat format) {
      Path cert = writePem(dir.resolve(name + ".crt"), certificate);
      Path key =
          writePem(
              dir.resolve(name + ".key"),
              format == KeyFormat.PKCS8 ? pkcs8(keys) : traditional(keys));
      Path ca = writePem(dir.resolve(name + "-ca.crt"), authority);
      return new PemPaths(cert, key, ca);
    }
  }

  /** Writes objects (certificates, keys, PemObjects) as PEM with BouncyCastle's writer. */
  public static Path writePem(Path file, Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (Object object : objects) {
        writer.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("write " + file, e);
    }
    return file;
  }

  /**
   * PKCS#1 for RSA; SEC1 for EC, with the curve and public key inside as OpenSSL writes it
   * (BouncyCastle's writer leaves the curve out, which neither OpenSSL nor the JDK can read).
   */
  static Object traditional(KeyPair keys) {
    if (!keys.getPrivate().getAlgorithm().equals("EC")) {
      return keys.getPrivate();
    }
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
      ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
      SubjectPublicKeyInfo publicKey =
          SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
      ECPrivateKey sec1 =
          new ECPrivateKey(
              256,
              inner.getKey(),
              publicKey.getPublicKeyData(),
              info.getPrivateKeyAlgorithm().getParameters());
      return new PemObject("EC PRIVATE KEY", sec1.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JcaPKCS8Generator pkcs8(KeyPair keys) {
    try {
      return new JcaPKCS8Generator(keys.getPrivate(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static KeyPair generate(KeyType type) {
    try {
      if (type == KeyType.RSA) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static GeneralNames sans(List<String> dnsNames, List<String> ips) {
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
    ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  private interface Extensions {
    void add(X509v3CertificateBuilder builder) throws CertIOException, GeneralSecurityException;
  }

  private static X509Certificate sign(
      X509v3CertificateBuilder builder, Extensions extensions, KeyPair signer) {
    try {
      extensions.add(builder);
      String algorithm =
          signer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException("make test certificate: " + e.getMessage(), e);
    }
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIALS.incrementAndGet());
  }

  private static Date from(Instant instant) {
    return Date.from(instant);
  }
}
