package io.dqlite.operator.kube;

import io.dqlite.operator.status.NodeFacts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's nodes, listed at most once per {@link #TTL} and shared by every reconciliation (a
 * node watch would wake every DqliteCluster at each node heartbeat). Without permission to list
 * nodes, or on a failure, the facts are {@link NodeFacts#unknown unknown} and the node checks are
 * skipped; the refusal is logged once.
 */
public final class NodeInventory implements Supplier<NodeFacts> {

  private static final Logger log = LoggerFactory.getLogger(NodeInventory.class);

  public static final Duration TTL = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final Clock clock;
  private NodeFacts cached = NodeFacts.unknown();
  private Instant listedAt = Instant.MIN;
  private boolean warned;

  public NodeInventory(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public synchronized NodeFacts get() {
    Instant now = clock.instant();
    if (listedAt.plus(TTL).isAfter(now)) {
      return cached;
    }
    listedAt = now;
    try {
      List<Node> nodes = client.nodes().list().getItems();
      cached = new NodeFacts(true, nodes.stream().map(NodeInventory::facts).toList());
      warned = false;
    } catch (KubernetesClientException e) {
      if (!warned) {
        log.warn(
            "list nodes: {} (HTTP {}); the node checks of the Degraded condition are skipped"
                + " until it works (grant get/list on nodes, see docs/operator.md)",
            e.getMessage(),
            e.getCode());
        warned = true;
      }
      cached = NodeFacts.unknown();
    }
    return cached;
  }

  /**
   * A node as the checks see it; schedulable: Ready, not cordoned, no NoSchedule/NoExecute taint.
   */
  static NodeFacts.KubeNode facts(Node node) {
    boolean cordoned =
        node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    boolean tainted =
        node.getSpec() != null
            && node.getSpec().getTaints() != null
            && node.getSpec().getTaints().stream()
                .anyMatch(
                    t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()));
    boolean ready =
        node.getStatus() != null
            && node.getStatus().getConditions() != null
            && node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return new NodeFacts.KubeNode(
        node.getMetadata().getName(),
        node.getMetadata().getLabels(),
        ready && !cordoned && !tainted);
  }
}
