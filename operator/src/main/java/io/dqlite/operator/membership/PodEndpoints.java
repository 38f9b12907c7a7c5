package io.dqlite.operator.membership;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.Sidecar;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where the operator reaches each pod: by its pod IP, not its DNS name. A pod IP needs no DNS
 * record (the headless Service's records appear only once the endpoints controller has seen the
 * pod) and also works from an operator running outside the cluster network's DNS (a developer's
 * machine, the local control plane). A pod without an IP is not running and is not asked.
 *
 * <p>Raft addresses are always pod DNS names ({@link ClusterNames#podAddress}); when the operator
 * has to dial one (the leader, for a removal) it dials the IP of the pod the name belongs to, and
 * the name itself only for a node that is not one of the pods. dqlite does not care which address a
 * request arrives on; only leader discovery compares addresses, and the operator does not use it.
 */
public final class PodEndpoints {

  private PodEndpoints() {}

  /** The sidecar's admin base URI, {@code http://<podIP>:8081}, if the pod has an IP. */
  public static Optional<URI> admin(Pod pod) {
    return ip(pod).map(ip -> URI.create("http://" + hostPort(ip, Sidecar.ADMIN_PORT)));
  }

  /** The address to dial the pod's dqlite node at, {@code <podIP>:9001}, if it has an IP. */
  public static Optional<String> raft(Pod pod) {
    return ip(pod).map(ip -> hostPort(ip, Sidecar.RAFT_PORT));
  }

  /**
   * The dial address of each of the cluster's pods with an IP, by raft address: what {@link #dial}
   * translates through.
   */
  public static Map<String, String> dialAddresses(
      DqliteCluster cr, List<Pod> pods, String clusterDomain) {
    Map<String, String> byRaftAddress = new HashMap<>();
    for (Pod pod : pods) {
      OptionalInt ordinal = ordinal(cr, pod);
      Optional<String> dial = raft(pod);
      if (ordinal.isPresent() && dial.isPresent()) {
        byRaftAddress.put(
            ClusterNames.podAddress(cr, ordinal.getAsInt(), clusterDomain), dial.get());
      }
    }
    return byRaftAddress;
  }

  /** The address to dial for a raft address: the pod's IP if known, else the address itself. */
  public static String dial(String raftAddress, Map<String, String> dialAddresses) {
    return dialAddresses.getOrDefault(raftAddress, raftAddress);
  }

  /** The pod's ordinal, from its name {@code <statefulset>-<ordinal>}; empty for other pods. */
  public static OptionalInt ordinal(DqliteCluster cr, Pod pod) {
    return ClusterNames.podOrdinal(cr, pod.getMetadata().getName());
  }

  private static Optional<String> ip(Pod pod) {
    return Optional.ofNullable(pod.getStatus()).map(s -> s.getPodIP()).filter(ip -> !ip.isBlank());
  }

  private static String hostPort(String ip, int port) {
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
  }
}
