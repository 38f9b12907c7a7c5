package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.TlsCertificates.Authority;
import io.dqlite.operator.dependents.TlsCertificates.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Secrets of {@code spec.tls.generate}.
 *
 * <ul>
 *   <li>{@code <name>-tls}, mounted into every pod: {@code tls.crt} and {@code tls.key}, one node
 *       certificate shared by every pod, as go-dqlite's app expects (each node presents it, and
 *       expects its peers' certificates to carry its first DNS name); {@code ca.crt}, the CAs the
 *       nodes trust, newest first (two while a CA is being replaced).
 *   <li>{@code <name>-tls-ca}, never mounted: the newest CA's certificate and private key, from
 *       which the operator issues node certificates.
 * </ul>
 *
 * <p>DNS names, first the one peers expect: {@code <name>-headless.<ns>.svc.<domain>}, then {@code
 * *.<name>-headless.<ns>.svc.<domain>} (every pod's address), its short form without the domain,
 * and the client Service's names (full, {@code .svc}, {@code .<ns>}, bare) so that clients verify
 * the name they dial. When and how they are renewed: {@link io.dqlite.operator.plan.TlsRotation}.
 */
public final class GeneratedTls {

  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration NODE_VALIDITY = Duration.ofDays(365);

  /** Set on the node Secret: the node certificate's notAfter. */
  public static final String NOT_AFTER_ANNOTATION = "dqlite.io/tls-not-after";

  /**
   * Set on the pod template: a digest of the node Secret, so that a renewed certificate changes the
   * template and the operator's rolling update restarts the pods onto it (the sidecar reads its
   * certificates at start).
   */
  public static final String REVISION_ANNOTATION = "dqlite.io/tls-revision";

  static final String CA_KEY = "ca.key";

  /**
   * What the node Secret holds.
   *
   * @param node the node certificate and key
   * @param trusted the CAs the nodes trust, newest first
   */
  public record Material(Node node, List<X509Certificate> trusted) {
    public Material {
      trusted = List.copyOf(trusted);
    }
  }

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

  /** A new CA, valid {@link #CA_VALIDITY} from {@code now}. */
  public static Authority newAuthority(DqliteCluster cr, Instant now) {
    return TlsCertificates.authority(cr, now, CA_VALIDITY);
  }

  /**
   * A node certificate from {@code ca}, valid {@link #NODE_VALIDITY} from {@code now} but never
   * beyond the CA, with {@code trusted} as the CAs the nodes trust.
   */
  public static Material issue(
      DqliteCluster cr,
      String clusterDomain,
      Authority ca,
      List<X509Certificate> trusted,
      Instant now) {
    Instant caEnd = ca.certificate().getNotAfter().toInstant();
    Instant end = now.plus(NODE_VALIDITY).isBefore(caEnd) ? now.plus(NODE_VALIDITY) : caEnd;
    return new Material(
        TlsCertificates.node(cr, ca, dnsNames(cr, clusterDomain), now, end), trusted);
  }

  /** A new CA and node certificate, as the node Secret (the CA's key is dropped). */
  public static Secret build(DqliteCluster cr, String clusterDomain, Instant now) {
    Authority ca = newAuthority(cr, now);
    return tlsSecret(cr, issue(cr, clusterDomain, ca, List.of(ca.certificate()), now));
  }

  /** The node Secret, {@link ClusterNames#generatedTlsSecret}. */
  public static Secret tlsSecret(DqliteCluster cr, Material material) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("tls.crt", base64(TlsCertificates.pem(material.node().certificate())));
    data.put("tls.key", base64(TlsCertificates.pem(material.node().key())));
    StringBuilder bundle = new StringBuilder();
    material.trusted().forEach(c -> bundle.append(TlsCertificates.pem(c)));
    data.put("ca.crt", base64(bundle.toString()));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(ClusterNames.generatedTlsSecret(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(ClusterNames.labels(cr))
        .addToAnnotations(
            NOT_AFTER_ANNOTATION,
            material.node().certificate().getNotAfter().toInstant().toString())
        .endMetadata()
        .withType("kubernetes.io/tls")
        .withData(data)
        .build();
  }

  /** The CA Secret, {@link ClusterNames#generatedTlsCaSecret}. */
  public static Secret caSecret(DqliteCluster cr, Authority ca) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("ca.crt", base64(TlsCertificates.pem(ca.certificate())));
    data.put(CA_KEY, base64(TlsCertificates.pem(ca.key())));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(ClusterNames.generatedTlsCaSecret(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(ClusterNames.labels(cr))
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /** The node Secret's contents; empty when a file is missing or unreadable. */
  public static Optional<Material> readTls(Secret secret) {
    try {
      List<X509Certificate> chain = TlsCertificates.certificates(text(secret, "tls.crt"));
      List<X509Certificate> trusted = TlsCertificates.certificates(text(secret, "ca.crt"));
      if (chain.isEmpty() || trusted.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          new Material(
              new Node(chain.get(0), TlsCertificates.privateKey(text(secret, "tls.key"))),
              trusted));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The CA Secret's contents; empty when a file is missing or unreadable. */
  public static Optional<Authority> readCa(Secret secret) {
    try {
      List<X509Certificate> ca = TlsCertificates.certificates(text(secret, "ca.crt"));
      if (ca.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          new Authority(ca.get(0), TlsCertificates.privateKey(text(secret, CA_KEY))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String text(Secret secret, String key) {
    String value = secret.getData() == null ? null : secret.getData().get(key);
    if (value == null) {
      throw new IllegalArgumentException(
          "Secret " + secret.getMetadata().getName() + " has no " + key);
    }
    return new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
