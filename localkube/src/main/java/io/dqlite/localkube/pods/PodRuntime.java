package io.dqlite.localkube.pods;

import io.dqlite.localkube.probes.Handlers;
import io.dqlite.localkube.volumes.VolumeSources;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * What every pod worker shares: the API, the image table (through the launcher), the probe and hook
 * runner, the address pool, the agent's directories and the hosts file of each namespace.
 *
 * @param nodeIps node name → its address, reported as the pods' hostIP
 * @param hostsFile namespace → its hosts file (created if missing)
 * @param backoffBase first crash-loop delay (the kubelet's is 10 s)
 * @param backoffMax longest crash-loop delay (the kubelet's is 5 min)
 */
public record PodRuntime(
    KubernetesClient client,
    ContainerLauncher launcher,
    Handlers handlers,
    VolumeSources sources,
    PodIpAllocator ips,
    Events events,
    Path root,
    Map<String, String> nodeIps,
    Function<String, Path> hostsFile,
    Duration backoffBase,
    Duration backoffMax,
    Clock clock) {

  /** The directory of one pod: volumes, mount links, container pid files. */
  Path podDir(String uid) {
    return root.resolve("pods").resolve(uid);
  }

  /** The log directory of one container, like /var/log/pods/NS_NAME_UID/CONTAINER. */
  public static Path logDir(Path root, String ns, String name, String uid, String container) {
    return root.resolve("logs").resolve(ns + "_" + name + "_" + uid).resolve(container);
  }

  /** The log directory of one container, under this agent's root. */
  Path logDir(String ns, String name, String uid, String container) {
    return root.resolve("logs").resolve(ns + "_" + name + "_" + uid).resolve(container);
  }
}
