package io.dqlite.localkube.agent;

import io.dqlite.localkube.podspec.NodeCapacity;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a node and keeps it alive as the kubelet does: a Lease in {@code kube-node-lease}
 * renewed every {@code leaseDuration / 4}, and the node status (Ready and the pressure conditions)
 * re-posted every minute or so. The node lifecycle controller marks a node whose lease lapses as
 * NotReady and taints it.
 */
final class NodeHeartbeat {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHeartbeat.class);
  static final String KUBELET_VERSION = "v1.36.3";
  static final int LEASE_SECONDS = 40;

  private final KubernetesClient client;
  private final NodeSpec node;
  private final int kubeletPort;
  private Instant lastStatus = Instant.MIN;

  /** {@code kubeletPort}: where the API server finds the agent's kubelet API (0: none). */
  NodeHeartbeat(KubernetesClient client, NodeSpec node, int kubeletPort) {
    this.client = client;
    this.node = node;
    this.kubeletPort = kubeletPort;
  }

  /** Creates the Node if missing (labels are re-applied if it exists), then beats once. */
  void register() {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(node.name())
                .withLabels(node.labels())
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build())
        .fieldManager("localkube-agent")
        .forceConflicts()
        .serverSideApply();
    beat(Instant.now());
  }

  /** Renews the lease; re-posts the status when it is older than a minute. */
  void beat(Instant now) {
    try {
      renewLease(now);
      if (Duration.between(lastStatus, now).compareTo(Duration.ofSeconds(60)) >= 0) {
        postStatus(now);
        lastStatus = now;
      }
    } catch (KubernetesClientException e) {
      LOG.warn("heartbeat of node {} failed (retried): {}", node.name(), e.getMessage());
    }
  }

  private void renewLease(Instant now) {
    ZonedDateTime renew =
        ZonedDateTime.ofInstant(now.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    var leases = client.leases().inNamespace("kube-node-lease");
    Lease existing = leases.withName(node.name()).get();
    if (existing == null) {
      var nodeObj = client.nodes().withName(node.name()).get();
      leases
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(node.name())
                  .addNewOwnerReference()
                  .withApiVersion("v1")
                  .withKind("Node")
                  .withName(node.name())
                  .withUid(nodeObj.getMetadata().getUid())
                  .endOwnerReference()
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(node.name())
                  .withLeaseDurationSeconds(LEASE_SECONDS)
                  .withRenewTime(renew)
                  .endSpec()
                  .build())
          .create();
    } else {
      existing.getSpec().setRenewTime(renew);
      existing.getSpec().setHolderIdentity(node.name());
      leases.resource(existing).update();
    }
  }

  private void postStatus(Instant now) {
    String t = now.truncatedTo(ChronoUnit.SECONDS).toString();
    // lastTransitionTime only on the first post: later posts merge by condition type and keep it.
    String since = lastStatus.equals(Instant.MIN) ? t : null;
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity(Integer.toString(NodeCapacity.cpus())),
            "memory", new Quantity(Long.toString(NodeCapacity.memoryBytes())),
            "pods", new Quantity("110"),
            "ephemeral-storage", new Quantity("100Gi"));
    NodeStatus status =
        new NodeStatusBuilder()
            .withCapacity(capacity)
            .withAllocatable(capacity)
            .withConditions(
                List.of(
                    condition(
                        "Ready",
                        "True",
                        "KubeletReady",
                        "localkube agent is posting ready status",
                        t,
                        since),
                    condition(
                        "MemoryPressure", "False", "KubeletHasSufficientMemory", "", t, since),
                    condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "", t, since),
                    condition("PIDPressure", "False", "KubeletHasSufficientPID", "", t, since)))
            .addNewAddress()
            .withType("InternalIP")
            .withAddress(node.ip())
            .endAddress()
            .addNewAddress()
            .withType("Hostname")
            .withAddress(node.name())
            .endAddress()
            .withNewDaemonEndpoints()
            .withNewKubeletEndpoint()
            .withPort(kubeletPort)
            .endKubeletEndpoint()
            .endDaemonEndpoints()
            .withNewNodeInfo()
            .withArchitecture("amd64")
            .withOperatingSystem("linux")
            .withOsImage("localkube (processes on " + System.getProperty("os.name") + ")")
            .withKernelVersion(System.getProperty("os.version"))
            .withKubeletVersion(KUBELET_VERSION)
            .withContainerRuntimeVersion("localkube://processes")
            .withKubeProxyVersion("")
            .withMachineID(node.name())
            .withSystemUUID(node.name())
            .withBootID("localkube")
            .endNodeInfo()
            .build();
    client
        .nodes()
        .withName(node.name())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            Serialization.asJson(Map.of("status", status)));
  }

  private static NodeCondition condition(
      String type, String status, String reason, String message, String time, String since) {
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastHeartbeatTime(time)
        .withLastTransitionTime(since)
        .build();
  }
}
