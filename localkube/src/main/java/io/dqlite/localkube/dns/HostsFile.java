package io.dqlite.localkube.dns;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Cluster DNS as a hosts file, one per namespace (a hosts file has no search path, so the short
 * names a pod may use, {@code svc} and {@code pod.svc}, are only valid in its own namespace). There
 * is no kube-proxy, so a name resolves to pod IPs:
 *
 * <ul>
 *   <li>a headless Service: every endpoint's pod IP;
 *   <li>a ClusterIP Service: the pod IP of its first endpoint by pod name (no load balancing:
 *       clients that need every member should use a headless Service);
 *   <li>{@code <hostname>.<subdomain>}: a pod with both set, while it is an endpoint of the
 *       headless Service named {@code subdomain};
 *   <li>{@code kubernetes.default}: the API server.
 * </ul>
 *
 * Endpoints are selected pods with an IP that have not finished (Pending or Running), as the
 * endpoints controller lists them: ready and not terminating, unless the Service publishes
 * not-ready addresses, in which case terminating and unready pods stay (a StatefulSet's member
 * being deleted must stay reachable by its name until its processes are gone: its preStop hook
 * hands leadership over, and its peers talk to it meanwhile). Services without a selector, or with
 * no endpoint, get no entry.
 */
public final class HostsFile {
  private static final String SUFFIX = "svc.cluster.local";

  private HostsFile() {}

  /**
   * The hosts file for processes in {@code namespace}.
   *
   * @param machineHostname this machine's name, mapped to 127.0.0.1 so that {@code
   *     InetAddress.getLocalHost()} keeps working in a JVM that reads only this file
   */
  public static String render(
      String namespace,
      Collection<Pod> pods,
      Collection<Service> services,
      String apiHost,
      String machineHostname) {
    // IP → names, ordered for a stable file.
    Map<String, TreeSet<String>> byIp = new TreeMap<>();
    add(byIp, "127.0.0.1", "localhost");
    if (machineHostname != null && !machineHostname.isEmpty()) {
      add(byIp, "127.0.0.1", machineHostname);
    }
    names(namespace, "default", "kubernetes").forEach(n -> add(byIp, apiHost, n));

    for (Service svc : sorted(services)) {
      String ns = svc.getMetadata().getNamespace();
      String name = svc.getMetadata().getName();
      List<Pod> endpoints = endpoints(svc, pods);
      if (endpoints.isEmpty()) {
        continue;
      }
      boolean headless = "None".equals(svc.getSpec().getClusterIP());
      List<Pod> targets = headless ? endpoints : endpoints.subList(0, 1);
      for (Pod p : targets) {
        names(namespace, ns, name).forEach(n -> add(byIp, p.getStatus().getPodIP(), n));
      }
      if (headless) {
        for (Pod p : endpoints) {
          String host = p.getSpec().getHostname();
          if (host != null && !host.isEmpty() && name.equals(p.getSpec().getSubdomain())) {
            names(namespace, ns, host + "." + name)
                .forEach(n -> add(byIp, p.getStatus().getPodIP(), n));
          }
        }
      }
    }
    StringBuilder out =
        new StringBuilder("# Written by the localkube node agent for namespace ")
            .append(namespace)
            .append("; see docs/local-control-plane.md.\n");
    byIp.forEach(
        (ip, names) -> out.append(ip).append(' ').append(String.join(" ", names)).append('\n'));
    return out.toString();
  }

  /** The pods a Service's endpoints would list, sorted by name. */
  static List<Pod> endpoints(Service svc, Collection<Pod> pods) {
    Map<String, String> selector = svc.getSpec().getSelector();
    if (selector == null || selector.isEmpty() || "ExternalName".equals(svc.getSpec().getType())) {
      return List.of();
    }
    boolean notReadyToo = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
    String ns = svc.getMetadata().getNamespace();
    return pods.stream()
        .filter(p -> ns.equals(p.getMetadata().getNamespace()))
        .filter(p -> matches(selector, p.getMetadata().getLabels()))
        .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
        .filter(p -> notReadyToo || p.getMetadata().getDeletionTimestamp() == null)
        .filter(
            p ->
                "Running".equals(p.getStatus().getPhase())
                    || "Pending".equals(p.getStatus().getPhase()))
        .filter(p -> notReadyToo || ready(p))
        .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getName()))
        .collect(Collectors.toList());
  }

  /** The forms of {@code name} in {@code ns} that a process in {@code from} can resolve. */
  static List<String> names(String from, String ns, String name) {
    List<String> out =
        new ArrayList<>(
            List.of(name + "." + ns + "." + SUFFIX, name + "." + ns + ".svc", name + "." + ns));
    if (from.equals(ns)) {
      out.add(name);
    }
    return out;
  }

  static boolean ready(Pod p) {
    List<PodCondition> conditions = p.getStatus().getConditions();
    return conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return labels != null && labels.entrySet().containsAll(selector.entrySet());
  }

  private static List<Service> sorted(Collection<Service> services) {
    return services.stream()
        .sorted(
            Comparator.comparing((Service s) -> s.getMetadata().getNamespace())
                .thenComparing(s -> s.getMetadata().getName()))
        .collect(Collectors.toList());
  }

  private static void add(Map<String, TreeSet<String>> byIp, String ip, String name) {
    byIp.computeIfAbsent(ip, k -> new TreeSet<>()).add(name);
  }
}
