package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.TlsMode;
import io.dqlite.operator.crd.ZonesSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod volumes the operator owns (the data volume comes from the claim template). Names carry a
 * {@code dqlite-} prefix so they do not clash with the user's own volumes.
 */
public final class PodVolumes {

  /** The app socket's directory, shared by the sidecar and the application's containers. */
  public static final String APP_SOCKET = "dqlite-socket";

  public static final String TMP = "dqlite-tmp";
  public static final String TLS = "dqlite-tls";

  /** The admin Secret, mounted into the sidecar container only. */
  public static final String ADMIN = "dqlite-admin";

  /**
   * The pod's ServiceAccount token, the cluster CA and the namespace, mounted into the sidecar
   * container only, when it reads its Node's zone label ({@code spec.zones.readNodeLabels}).
   */
  public static final String KUBE_API = "dqlite-kube-api";

  /** The token's lifetime; the kubelet renews it at 80% of that, fabric8 rereads the file. */
  static final long TOKEN_SECONDS = 3607;

  private PodVolumes() {}

  public static List<Volume> build(DqliteCluster cr) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName(APP_SOCKET).withNewEmptyDir().endEmptyDir().build());
    volumes.add(new VolumeBuilder().withName(TMP).withNewEmptyDir().endEmptyDir().build());
    volumes.add(
        new VolumeBuilder()
            .withName(ADMIN)
            .withNewSecret()
            .withSecretName(ClusterNames.adminSecret(cr))
            // Owned by root, readable by the fsGroup the sidecar runs in.
            .withDefaultMode(0440)
            .endSecret()
            .build());
    if (TlsMode.of(cr).tls()) {
      volumes.add(
          new VolumeBuilder()
              .withName(TLS)
              .withNewSecret()
              .withSecretName(tlsSecretName(cr))
              // Owned by root, readable by the fsGroup the sidecar runs in.
              .withDefaultMode(0440)
              .endSecret()
              .build());
    }
    if (ZonesSpec.readNodeLabels(cr)) {
      volumes.add(kubeApi());
    }
    return volumes;
  }

  /** What the kubelet's own {@code kube-api-access-*} volume holds, under our name. */
  static Volume kubeApi() {
    return new VolumeBuilder()
        .withName(KUBE_API)
        .withNewProjected()
        .addNewSource()
        .withNewServiceAccountToken()
        .withPath("token")
        .withExpirationSeconds(TOKEN_SECONDS)
        .endServiceAccountToken()
        .endSource()
        .addNewSource()
        .withNewConfigMap()
        .withName("kube-root-ca.crt")
        .addNewItem("ca.crt", null, "ca.crt")
        .endConfigMap()
        .endSource()
        .addNewSource()
        .withNewDownwardAPI()
        .addNewItem()
        .withPath("namespace")
        .withNewFieldRef()
        .withFieldPath("metadata.namespace")
        .endFieldRef()
        .endItem()
        .endDownwardAPI()
        .endSource()
        .endProjected()
        .build();
  }

  /** The Secret holding tls.crt, tls.key and ca.crt: the user's, or the generated one. */
  public static String tlsSecretName(DqliteCluster cr) {
    return TlsMode.of(cr) == TlsMode.SECRET
        ? cr.getSpec().getTls().getSecretName()
        : ClusterNames.generatedTlsSecret(cr);
  }
}
