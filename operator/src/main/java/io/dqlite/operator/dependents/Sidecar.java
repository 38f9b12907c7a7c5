package io.dqlite.operator.dependents;

import io.dqlite.sidecar.api.AdminApi;
import io.dqlite.sidecar.api.SidecarPorts;
import io.dqlite.sidecar.api.SidecarSetting;
import java.time.Duration;

/**
 * How the operator runs the dqlite sidecar in a pod: its container, launcher and mounts. The
 * contract itself (settings and their variables, ports, admin paths) is sidecar-api's ({@link
 * SidecarSetting}, {@link SidecarPorts}, {@link AdminApi}). The operator configures the sidecar
 * through the environment only, so that {@code kubectl describe pod} shows every setting.
 */
public final class Sidecar {

  public static final String CONTAINER_NAME = "dqlite";

  /** The image's entrypoint; named explicitly only where an exec needs it (preStop). */
  public static final String LAUNCHER = "/opt/dqlite/bin/dqlite-sidecar";

  public static final String RUN = "run";
  public static final String HANDOVER = "handover";

  public static final int RAFT_PORT = SidecarPorts.RAFT;
  public static final String RAFT_PORT_NAME = "dqlite";
  public static final int ADMIN_PORT = SidecarPorts.ADMIN;
  public static final String ADMIN_PORT_NAME = "admin";
  public static final String LIVEZ = AdminApi.LIVEZ;
  public static final String READYZ = AdminApi.READYZ;
  public static final String METRICS = AdminApi.METRICS;

  /** The data directory: the sidecar's default, where the image prepares it. */
  public static final String DATA_DIR = SidecarSetting.DIR.defaultValue().orElseThrow();

  /** Directory of the app socket, an emptyDir shared with the application's containers. */
  public static final String APP_SOCKET_DIR = "/run/dqlite";

  public static final String TLS_DIR = "/etc/dqlite/tls";

  /** The admin Secret's mount: the token /cluster and /handover require. */
  public static final String ADMIN_DIR = "/etc/dqlite/admin";

  /** The JVM and JNA need a writable temporary directory; the root filesystem is read-only. */
  public static final String TMP_DIR = "/tmp";

  /**
   * Where the pod's ServiceAccount token, CA and namespace go when the sidecar reads its Node
   * ({@code spec.zones.readNodeLabels}): the path fabric8's in-cluster configuration reads.
   */
  public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  /**
   * go-dqlite caps a handover at one minute, as does the sidecar's default, which the operator
   * passes on; the pod gets 30 seconds more to close the node and exit.
   */
  public static final Duration HANDOVER_TIMEOUT =
      (Duration) SidecarSetting.HANDOVER_TIMEOUT.defaultParsed();

  public static final long TERMINATION_GRACE_PERIOD_SECONDS = HANDOVER_TIMEOUT.toSeconds() + 30;

  /**
   * The sidecar writes no termination-message file: when it fails, the kubelet takes the tail of
   * its log (the last line names why it could not start) as the container's termination message.
   */
  public static final String TERMINATION_MESSAGE_POLICY = "FallbackToLogsOnError";

  /** The uid and gid the sidecar runs as: the images' fixed non-root user (see the Dockerfile). */
  public static final long RUN_AS_USER = 10001;

  private Sidecar() {}
}
