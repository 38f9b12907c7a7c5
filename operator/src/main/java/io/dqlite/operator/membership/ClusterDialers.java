package io.dqlite.operator.membership;

import io.dqlite.client.net.DefaultDialer;
import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.tls.PemFiles;
import io.dqlite.client.net.tls.TlsDialer;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.TlsMode;
import io.dqlite.operator.dependents.PodVolumes;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The dialer for a cluster: plain TCP, or TLS with the certificate in the cluster's TLS Secret (the
 * user's, or the generated one). Dialers are kept per Secret and resourceVersion, so a rotated
 * Secret is picked up at the next dial.
 *
 * <p>TLS is the client library's {@link TlsDialer} (go-dqlite's {@code SimpleDialTLSConfig}, as the
 * sidecars dial each other): the Secret's certificate as client identity, its CA as the only
 * authority, and servers expected to carry the certificate's first DNS name.
 */
public final class ClusterDialers implements Function<DqliteCluster, Dialer> {

  private final KubernetesClient client;
  private final Map<String, Map.Entry<String, TlsDialer>> cache = new ConcurrentHashMap<>();

  public ClusterDialers(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Dialer apply(DqliteCluster cr) {
    if (!TlsMode.of(cr).tls()) {
      return DefaultDialer.INSTANCE;
    }
    String namespace = cr.getMetadata().getNamespace();
    String name = PodVolumes.tlsSecretName(cr);
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      throw new IllegalStateException(
          "TLS Secret " + namespace + "/" + name + " does not exist: nodes cannot be dialled");
    }
    String key = namespace + "/" + name;
    String version = secret.getMetadata().getResourceVersion();
    Map.Entry<String, TlsDialer> cached = cache.get(key);
    if (cached != null && cached.getKey().equals(version)) {
      return cached.getValue();
    }
    TlsDialer dialer =
        tlsDialer(
            "Secret " + key,
            data(secret, "tls.crt", key),
            data(secret, "tls.key", key),
            data(secret, "ca.crt", key));
    cache.put(key, Map.entry(version, dialer));
    return dialer;
  }

  private static String data(Secret secret, String field, String where) {
    String value = secret.getData() == null ? null : secret.getData().get(field);
    if (value == null) {
      throw new IllegalStateException("TLS Secret " + where + " has no " + field);
    }
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }

  /**
   * A dialer from a TLS Secret's PEM texts: {@code tls.crt} (certificate chain), {@code tls.key}
   * (unencrypted PKCS#8, PKCS#1 RSA or SEC1 EC) and {@code ca.crt}.
   *
   * @param source names the Secret in errors
   * @throws IllegalArgumentException naming the field that cannot be read, or when the certificate
   *     has no DNS name
   */
  public static TlsDialer tlsDialer(
      String source, String certificatePem, String keyPem, String caPem) {
    try {
      List<X509Certificate> chain = PemFiles.parseCertificates(certificatePem, source + " tls.crt");
      List<X509Certificate> authorities = PemFiles.parseCertificates(caPem, source + " ca.crt");
      return TlsDialer.mutual(
          chain,
          PemFiles.parsePrivateKey(keyPem, source + " tls.key"),
          authorities,
          expectedServerName(chain.get(0)));
    } catch (IOException | CertificateException | IllegalArgumentException e) {
      throw new IllegalArgumentException("load the cluster's TLS files: " + e.getMessage(), e);
    }
  }

  /**
   * The name servers must carry: the certificate's first DNS name, as go-dqlite expects, except
   * that a wildcard {@code *.x} is expected as {@code dqlite.x}, which it covers. The operator has
   * always expected (and sent as SNI) that name, so a server whose certificate names {@code
   * dqlite.x} but not the wildcard stays accepted; the sidecars, as go-dqlite, expect the wildcard
   * itself.
   */
  static String expectedServerName(X509Certificate certificate) throws CertificateException {
    List<String> names = TlsDialer.dnsNames(certificate);
    if (names.isEmpty()) {
      throw new CertificateException(
          "certificate "
              + certificate.getSubjectX500Principal()
              + " has no DNS subject alternative name; dqlite nodes expect their peers to carry"
              + " the first one");
    }
    String name = names.get(0);
    return name.startsWith("*.") ? "dqlite" + name.substring(1) : name;
  }
}
