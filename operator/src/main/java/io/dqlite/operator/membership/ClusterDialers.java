package io.dqlite.operator.membership;

import io.dqlite.client.net.DefaultDialer;
import io.dqlite.client.net.Dialer;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.TlsMode;
import io.dqlite.operator.dependents.PodVolumes;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The dialer for a cluster: plain TCP, or TLS with the certificate in the cluster's TLS Secret (the
 * user's, or the generated one). Dialers are kept per Secret and resourceVersion, so a rotated
 * Secret is picked up at the next dial.
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
        TlsDialer.fromPem(
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
}
