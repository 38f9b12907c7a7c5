package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
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
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The Secret of {@code spec.tls.generate}: a CA and one node certificate shared by every pod, as
 * go-dqlite's app expects (each node presents it, and expects its peers' certificates to carry its
 * first DNS name). EC P-256 keys, SHA-256 signatures, BouncyCastle only to build the certificates.
 *
 * <p>DNS names, first the one peers expect: {@code <name>-headless.<ns>.svc.<domain>}, then {@code
 * *.<name>-headless.<ns>.svc.<domain>} (every pod's address), its short form without the domain,
 * and the client Service's names (full, {@code .svc}, {@code .<ns>}, bare) so that clients verify
 * the name they dial.
 *
 * <p>The CA's private key is not kept: nothing re-issues from it, and the Secret is mounted into
 * every pod. The Secret is created once and never regenerated, so the CA stays stable; rotating
 * means deleting the Secret and restarting every pod at once (see docs/operator.md).
 */
public final class GeneratedTls {

  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration NODE_VALIDITY = Duration.ofDays(3650);

  /** Set on the generated Secret: the node certificate's notAfter. */
  public static final String NOT_AFTER_ANNOTATION = "dqlite.io/tls-not-after";

  private GeneratedTls() {}

  /** The node certificate's DNS names, the one peers expect first. */
  public static List<String> dnsNames(DqliteCluster cr, String clusterDomain) {
    String ns = cr.getMetadata().getNamespace();
    String headless = ClusterNames.headlessService(cr) + "." + ns + ".svc";
    String client = ClusterNames.clientService(cr);
    List<String> names = new ArrayList<>();
    names.add(headless + "." + clusterDomain);
    names.add("*." + headless + "." + clusterDomain);
    names.add("*." + headless);
    names.add(client + "." + ns + ".svc." + clusterDomain);
    names.add(client + "." + ns + ".svc");
    names.add(client + "." + ns);
    names.add(client);
    return names;
  }

  /** A new CA and node certificate, as the Secret {@link ClusterNames#generatedTlsSecret}. */
  public static Secret build(DqliteCluster cr, String clusterDomain, Instant now) {
    try {
      KeyPair caKeys = keys();
      KeyPair nodeKeys = keys();
      String name = cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
      X500Principal caName = new X500Principal("CN=dqlite CA for " + name + ",O=dqlite");
      X509Certificate ca =
          sign(
              new JcaX509v3CertificateBuilder(
                  caName,
                  serial(),
                  from(now),
                  from(now.plus(CA_VALIDITY)),
                  caName,
                  caKeys.getPublic()),
              caKeys,
              b -> {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                b.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                b.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(caKeys.getPublic()));
              });
      List<String> dns = dnsNames(cr, clusterDomain);
      Instant notAfter = now.plus(NODE_VALIDITY);
      X509Certificate node =
          sign(
              new JcaX509v3CertificateBuilder(
                  ca,
                  serial(),
                  from(now),
                  from(notAfter),
                  new X500Principal("CN=" + dns.get(0) + ",O=dqlite"),
                  nodeKeys.getPublic()),
              caKeys,
              b -> {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                b.addExtension(
                    Extension.extendedKeyUsage,
                    false,
                    new ExtendedKeyUsage(
                        new KeyPurposeId[] {
                          KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                        }));
                b.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(
                        dns.stream()
                            .map(d -> new GeneralName(GeneralName.dNSName, d))
                            .toArray(GeneralName[]::new)));
                JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
                b.addExtension(
                    Extension.authorityKeyIdentifier,
                    false,
                    utils.createAuthorityKeyIdentifier(ca));
                b.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    utils.createSubjectKeyIdentifier(nodeKeys.getPublic()));
              });
      Map<String, String> data = new LinkedHashMap<>();
      data.put("tls.crt", base64(pem("CERTIFICATE", node.getEncoded())));
      data.put("tls.key", base64(pem("PRIVATE KEY", nodeKeys.getPrivate().getEncoded())));
      data.put("ca.crt", base64(pem("CERTIFICATE", ca.getEncoded())));
      return new SecretBuilder()
          .withNewMetadata()
          .withName(ClusterNames.generatedTlsSecret(cr))
          .withNamespace(cr.getMetadata().getNamespace())
          .withLabels(ClusterNames.labels(cr))
          .addToAnnotations(NOT_AFTER_ANNOTATION, notAfter.toString())
          .endMetadata()
          .withType("kubernetes.io/tls")
          .withData(data)
          .build();
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException(
          "generate the TLS certificates of "
              + cr.getMetadata().getNamespace()
              + "/"
              + cr.getMetadata().getName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private interface Extensions {
    void add(X509v3CertificateBuilder builder) throws CertIOException, GeneralSecurityException;
  }

  private static X509Certificate sign(
      X509v3CertificateBuilder builder, KeyPair signer, Extensions extensions)
      throws GeneralSecurityException, OperatorCreationException, CertIOException {
    extensions.add(builder);
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
  }

  private static Date from(Instant instant) {
    return Date.from(instant);
  }

  static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
