package io.dqlite.sidecar.zone;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the zone this pod runs in, first match wins:
 *
 * <ol>
 *   <li>the {@code --zone} flag ({@link Source#FLAG});
 *   <li>the pod's own labels in a downward-API file ({@link Source#POD_LABELS}): Kubernetes 1.36's
 *       {@code PodTopologyLabels} admission copies the node's zone label onto the pod, and reading
 *       it needs no API permission;
 *   <li>the label on the pod's Node, read from the API server as {@code NODE_NAME} ({@link
 *       Source#NODE}); needs {@code get} on {@code nodes};
 *   <li>none: one warning, and the node runs without failure domain (0).
 * </ol>
 *
 * An unreachable or refusing API server is not fatal: the sidecar warns and runs with domain 0,
 * because a missing zone only weakens voter spreading, while refusing to start would take the
 * database down with the API server.
 */
public final class ZoneResolver {

  /** Where the zone came from. */
  public enum Source {
    FLAG,
    POD_LABELS,
    NODE,
    NONE
  }

  /**
   * The outcome.
   *
   * @param zone the zone name, empty when unknown
   * @param source where it was found
   */
  public record Zone(Optional<String> zone, Source source) {
    public static final Zone UNKNOWN = new Zone(Optional.empty(), Source.NONE);

    /** The failure domain this zone maps to ({@link FailureDomains#of}). */
    public long failureDomain() {
      return FailureDomains.of(zone.orElse(null));
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ZoneResolver.class);

  private final String zoneLabel;
  private final Path podLabelsFile;
  private final String nodeName;
  private final Supplier<KubernetesClient> kubernetes;

  /**
   * @param zoneLabel the label holding the zone, e.g. {@code topology.kubernetes.io/zone}
   * @param podLabelsFile the downward-API labels file, or null to skip that source
   * @param nodeName the pod's node ({@code spec.nodeName}), or null to skip the API
   * @param kubernetes opens an API client when the Node must be read; closed after use
   */
  public ZoneResolver(
      String zoneLabel,
      Path podLabelsFile,
      String nodeName,
      Supplier<KubernetesClient> kubernetes) {
    this.zoneLabel = zoneLabel;
    this.podLabelsFile = podLabelsFile;
    this.nodeName = nodeName;
    this.kubernetes = kubernetes;
  }

  /**
   * An API client from the pod's service account (or kubeconfig outside a cluster), failing fast:
   * no retries, 5 s to connect, 10 s per request.
   */
  public static KubernetesClient defaultClient() {
    Config config = Config.autoConfigure(null);
    config.setRequestRetryBackoffLimit(0);
    config.setConnectionTimeout(5_000);
    config.setRequestTimeout(10_000);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Resolves the zone, given the {@code --zone} flag's value (null or blank when not set). */
  public Zone resolve(String flag) {
    if (flag != null && !flag.isBlank()) {
      return new Zone(Optional.of(flag.strip()), Source.FLAG);
    }
    Optional<String> fromPod = fromPodLabels();
    if (fromPod.isPresent()) {
      return new Zone(fromPod, Source.POD_LABELS);
    }
    if (nodeName == null || nodeName.isBlank()) {
      log.warn(
          "zone unknown: no --zone, no {} label in {}, and NODE_NAME is not set to read it from the"
              + " Node; running without failure domain (set --zone, or NODE_NAME from spec.nodeName)",
          zoneLabel,
          podLabelsFile == null ? "(no pod labels file)" : podLabelsFile);
      return Zone.UNKNOWN;
    }
    return fromNode();
  }

  private Optional<String> fromPodLabels() {
    if (podLabelsFile == null || !Files.isRegularFile(podLabelsFile)) {
      return Optional.empty();
    }
    try {
      Map<String, String> labels = PodLabels.read(podLabelsFile);
      String zone = labels.get(zoneLabel);
      if (zone == null || zone.isBlank()) {
        log.info(
            "pod labels in {} have no {} label; asking the API server", podLabelsFile, zoneLabel);
        return Optional.empty();
      }
      return Optional.of(zone.strip());
    } catch (IOException e) {
      log.warn("cannot read pod labels: {}; asking the API server", e.getMessage());
      return Optional.empty();
    }
  }

  private Zone fromNode() {
    String server = "the API server";
    try (KubernetesClient client = kubernetes.get()) {
      server = "the API server " + client.getMasterUrl();
      Node node = client.nodes().withName(nodeName).get();
      if (node == null) {
        log.warn(
            "zone unknown: Node {} not found in {}; running without failure domain (is"
                + " NODE_NAME spec.nodeName?)",
            nodeName,
            server);
        return Zone.UNKNOWN;
      }
      Map<String, String> labels = node.getMetadata().getLabels();
      String zone = labels == null ? null : labels.get(zoneLabel);
      if (zone == null || zone.isBlank()) {
        log.warn(
            "zone unknown: Node {} has no {} label; running without failure domain"
                + " (label the node, or set --zone)",
            nodeName,
            zoneLabel);
        return Zone.UNKNOWN;
      }
      return new Zone(Optional.of(zone.strip()), Source.NODE);
    } catch (RuntimeException e) {
      log.warn(
          "zone unknown: {}; running without failure domain ({})",
          failure(e, server, nodeName),
          remedy(e));
      return Zone.UNKNOWN;
    }
  }

  /**
   * What went wrong reading the Node, in one line. fabric8 reports a refused connection, a timeout
   * or a TLS failure as a {@link KubernetesClientException} without an HTTP code, whose own message
   * ("Operation: [get] ... failed.") hides the cause: that case names the root cause instead.
   */
  static String failure(RuntimeException e, String server, String nodeName) {
    int code = e instanceof KubernetesClientException k ? k.getCode() : 0;
    if (code > 0) {
      KubernetesClientException k = (KubernetesClientException) e;
      // The Status message alone ("nodes \"x\" is forbidden: User ... cannot get ..."): fabric8's
      // own message repeats it inside a dump of the whole Status object.
      String why =
          k.getStatus() != null && k.getStatus().getMessage() != null
              ? k.getStatus().getMessage()
              : oneLine(e);
      return server + " answered HTTP " + code + " to reading Node " + nodeName + " (" + why + ")";
    }
    // The JDK client's refused connection is a ConnectException without message, caused by a
    // ClosedChannelException: the chain below fabric8's wrapper says it, its ends alone do not.
    StringBuilder cause = new StringBuilder();
    Throwable t = e instanceof KubernetesClientException && e.getCause() != null ? e.getCause() : e;
    for (int depth = 0; t != null && depth < 3; depth++, t = t.getCause()) {
      if (cause.length() > 0) {
        cause.append(", caused by ");
      }
      cause.append(t.getClass().getSimpleName());
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        cause.append(": ").append(oneLine(t));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return "cannot reach " + server + " for Node " + nodeName + " (" + cause + ")";
  }

  /** How to fix {@link #failure}'s cause. */
  static String remedy(RuntimeException e) {
    int code = e instanceof KubernetesClientException k ? k.getCode() : 0;
    if (code == 401 || code == 403) {
      return "grant get on nodes to the pod's service account, or set --zone";
    }
    if (code > 0) {
      return "set --zone to skip the API";
    }
    return "check that the API server is reachable from the pod, or set --zone to skip the API";
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
