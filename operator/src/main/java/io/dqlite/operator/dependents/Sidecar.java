package io.dqlite.operator.dependents;

/**
 * The contract with the dqlite sidecar ({@code dqlite-k8s/sidecar}): its launcher, ports, paths and
 * the environment variables equivalent to its flags. The operator configures the sidecar through
 * the environment only, so that {@code kubectl describe pod} shows every setting.
 */
public final class Sidecar {

  public static final String CONTAINER_NAME = "dqlite";

  /** The image's entrypoint; named explicitly only where an exec needs it (preStop). */
  public static final String LAUNCHER = "/opt/dqlite/bin/dqlite-sidecar";

  public static final String RUN = "run";
  public static final String HANDOVER = "handover";

  public static final int RAFT_PORT = 9001;
  public static final String RAFT_PORT_NAME = "dqlite";
  public static final int ADMIN_PORT = 8081;
  public static final String ADMIN_PORT_NAME = "admin";
  public static final String LIVEZ = "/livez";
  public static final String READYZ = "/readyz";
  public static final String METRICS = "/metrics";

  public static final String DATA_DIR = "/var/lib/dqlite";

  /** Directory of the app socket, an emptyDir shared with the application's containers. */
  public static final String APP_SOCKET_DIR = "/run/dqlite";

  public static final String APP_SOCKET = APP_SOCKET_DIR + "/dqlite.sock";
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
   * go-dqlite caps a handover at one minute; the sidecar is given the same budget and the pod 30
   * seconds more to close the node and exit.
   */
  public static final int HANDOVER_TIMEOUT_SECONDS = 60;

  public static final long TERMINATION_GRACE_PERIOD_SECONDS = HANDOVER_TIMEOUT_SECONDS + 30;

  /** The uid and gid the sidecar runs as: the images' fixed non-root user (see the Dockerfile). */
  public static final long RUN_AS_USER = 10001;

  // Environment variables, one per sidecar flag.
  public static final String ENV_DIR = "DQLITE_DIR";
  public static final String ENV_ADDRESS = "DQLITE_ADDRESS";
  public static final String ENV_SERVICE = "DQLITE_SERVICE";
  public static final String ENV_JOIN = "DQLITE_JOIN";
  public static final String ENV_CLUSTER_ID = "DQLITE_CLUSTER_ID";
  public static final String ENV_CLUSTER_EXISTS = "DQLITE_CLUSTER_EXISTS";
  public static final String ENV_VOTERS = "DQLITE_VOTERS";
  public static final String ENV_STANDBYS = "DQLITE_STANDBYS";
  public static final String ENV_ZONE = "DQLITE_ZONE";
  public static final String ENV_ZONE_LABEL = "DQLITE_ZONE_LABEL";
  public static final String ENV_APP_SOCKET = "DQLITE_APP_SOCKET";
  public static final String ENV_ADMIN_ADDRESS = "DQLITE_ADMIN_ADDRESS";
  public static final String ENV_ADMIN_TOKEN_FILE = "DQLITE_ADMIN_TOKEN_FILE";
  public static final String ENV_ROLES_ADJUSTMENT_FREQUENCY = "DQLITE_ROLES_ADJUSTMENT_FREQUENCY";
  public static final String ENV_NETWORK_LATENCY = "DQLITE_NETWORK_LATENCY";
  public static final String ENV_SNAPSHOT_THRESHOLD = "DQLITE_SNAPSHOT_THRESHOLD";
  public static final String ENV_SNAPSHOT_TRAILING = "DQLITE_SNAPSHOT_TRAILING";
  public static final String ENV_TLS_CERT = "DQLITE_TLS_CERT";
  public static final String ENV_TLS_KEY = "DQLITE_TLS_KEY";
  public static final String ENV_TLS_CA = "DQLITE_TLS_CA";
  public static final String ENV_HANDOVER_TIMEOUT = "DQLITE_HANDOVER_TIMEOUT";
  public static final String ENV_POD_NAME = "POD_NAME";
  public static final String ENV_POD_NAMESPACE = "POD_NAMESPACE";
  public static final String ENV_NODE_NAME = "NODE_NAME";
  public static final String ENV_POD_IP = "POD_IP";

  private Sidecar() {}
}
