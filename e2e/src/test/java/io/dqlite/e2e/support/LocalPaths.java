package io.dqlite.e2e.support;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the node agent keeps what a pod sees at its mount paths (docs/local-control-plane.md,
 * "Volumes"): an emptyDir is {@code <agent root>/pods/<pod uid>/volumes/<volume name>}. The
 * operator mounts the app socket's emptyDir {@code dqlite-socket} at {@code /run/dqlite} and the
 * sidecar serves {@code /run/dqlite/dqlite.sock}, which the agent rewrites to that directory.
 */
public final class LocalPaths {

  /** The operator's app-socket volume (PodVolumes.APP_SOCKET) and file name in it. */
  public static final String APP_SOCKET_VOLUME = "dqlite-socket";

  public static final String APP_SOCKET_FILE = "dqlite.sock";

  /** sun_path holds 108 bytes with the terminating NUL. */
  public static final int MAX_SOCKET_PATH = 107;

  /**
   * The sidecar binds its socket under a temporary name, {@code .dqlite.sock.<pid>} (at most 7
   * digits), then renames it: that name is the longest path it binds.
   */
  static final int TEMPORARY_NAME_EXTRA = ".".length() + ".".length() + 7;

  private LocalPaths() {}

  /** The host path of a pod's app socket. */
  public static Path appSocket(Path agentRoot, Pod pod) {
    return appSocket(agentRoot, pod.getMetadata().getUid());
  }

  static Path appSocket(Path agentRoot, String podUid) {
    return agentRoot
        .resolve("pods")
        .resolve(podUid)
        .resolve("volumes")
        .resolve(APP_SOCKET_VOLUME)
        .resolve(APP_SOCKET_FILE);
  }

  /**
   * Whether the sidecar can bind its app socket under this agent root: the longest path it binds
   * (any pod uid) fits in a unix socket address.
   */
  public static boolean socketPathsFit(Path agentRoot) {
    String longest = appSocket(agentRoot, "00000000-0000-0000-0000-000000000000").toString();
    return longest.getBytes(StandardCharsets.UTF_8).length + TEMPORARY_NAME_EXTRA
        <= MAX_SOCKET_PATH;
  }

  /** This project's JDBC URL for a pod's app socket. */
  public static String jdbcUrl(Path agentRoot, Pod pod, String database) {
    return jdbcUrl(agentRoot, pod, database, 15_000);
  }

  /**
   * As {@link #jdbcUrl(Path, Pod, String)} with another leader search deadline. A URL names one
   * pod's socket, whose path contains the pod's uid: once that pod is gone the driver's search can
   * only fail, so a client that can move to another pod wants to learn it soon.
   */
  public static String jdbcUrl(Path agentRoot, Pod pod, String database, int leaderTimeoutMillis) {
    return "jdbc:dqlite:unix:"
        + appSocket(agentRoot, pod)
        + "?database="
        + database
        + "&connectTimeout=2000&leaderTimeout="
        + leaderTimeoutMillis
        + "&requestTimeout=15000";
  }
}
