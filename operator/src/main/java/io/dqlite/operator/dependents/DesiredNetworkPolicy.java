package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.NetworkPolicySpec;
import io.dqlite.operator.crd.PeerSelector;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The NetworkPolicy of a cluster, a pure function of the spec and of who the operator is. It
 * selects the cluster's pods and admits, ingress only:
 *
 * <ul>
 *   <li>port 9001 (raft and clients): the cluster's own pods (raft, joins, the sidecars' probes and
 *       forwarding to the leader), pods of the cluster's namespace labelled {@value #CLIENT_LABEL}
 *       {@code =<name>} (applications), and the operator (which reads the membership and removes
 *       members over the dqlite protocol);
 *   <li>port 8081 (admin API and {@code /metrics}): the operator, and each {@code
 *       spec.networkPolicy.metricsFrom} entry (Prometheus).
 * </ul>
 *
 * <p>Nothing else: every other port and peer is refused once a policy selects the pods. Policies
 * add up, so a user may admit more with a NetworkPolicy of their own. The kubelet's probes come
 * from the node, which the common implementations (Calico, Cilium) admit regardless.
 */
public final class DesiredNetworkPolicy {

  /** The label that admits a pod of the cluster's namespace to port 9001; value: the cluster. */
  public static final String CLIENT_LABEL = "dqlite.io/client";

  /** The well-known label Kubernetes puts on every namespace. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private DesiredNetworkPolicy() {}

  public static NetworkPolicy build(DqliteCluster cr, OperatorPeer operator) {
    NetworkPolicyPeer operatorPods =
        new NetworkPolicyPeerBuilder()
            .withNamespaceSelector(matching(Map.of(NAMESPACE_NAME_LABEL, operator.namespace())))
            .withPodSelector(matching(operator.podLabels()))
            .build();
    List<NetworkPolicyPeer> raftPeers =
        List.of(
            new NetworkPolicyPeerBuilder()
                .withPodSelector(matching(ClusterNames.selectorLabels(cr)))
                .build(),
            new NetworkPolicyPeerBuilder()
                .withPodSelector(matching(Map.of(CLIENT_LABEL, cr.getMetadata().getName())))
                .build(),
            operatorPods);
    List<NetworkPolicyPeer> adminPeers = new ArrayList<>();
    adminPeers.add(operatorPods);
    metricsFrom(cr).forEach(p -> adminPeers.add(peer(p)));
    return new NetworkPolicyBuilder()
        .withNewMetadata()
        .withName(ClusterNames.networkPolicy(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(ClusterNames.labels(cr))
        .endMetadata()
        .withNewSpec()
        .withPodSelector(matching(ClusterNames.selectorLabels(cr)))
        .withPolicyTypes("Ingress")
        .withIngress(rule(Sidecar.RAFT_PORT, raftPeers), rule(Sidecar.ADMIN_PORT, adminPeers))
        .endSpec()
        .build();
  }

  /**
   * Whether the cluster has a NetworkPolicy: unless {@code spec.networkPolicy.enabled} is false.
   */
  public static boolean enabled(DqliteCluster cr) {
    NetworkPolicySpec spec = cr.getSpec().getNetworkPolicy();
    return spec == null || !Boolean.FALSE.equals(spec.getEnabled());
  }

  private static List<PeerSelector> metricsFrom(DqliteCluster cr) {
    NetworkPolicySpec spec = cr.getSpec().getNetworkPolicy();
    return spec == null || spec.getMetricsFrom() == null ? List.of() : spec.getMetricsFrom();
  }

  private static NetworkPolicyIngressRule rule(int port, List<NetworkPolicyPeer> from) {
    return new NetworkPolicyIngressRuleBuilder()
        .addNewPort()
        .withProtocol("TCP")
        .withPort(new IntOrString(port))
        .endPort()
        .withFrom(from)
        .build();
  }

  private static NetworkPolicyPeer peer(PeerSelector p) {
    return new NetworkPolicyPeerBuilder()
        .withNamespaceSelector(copy(p.getNamespaceSelector()))
        .withPodSelector(copy(p.getPodSelector()))
        .build();
  }

  private static LabelSelector matching(Map<String, String> labels) {
    return new LabelSelectorBuilder().withMatchLabels(new java.util.TreeMap<>(labels)).build();
  }

  private static LabelSelector copy(LabelSelector selector) {
    return selector == null ? null : new LabelSelectorBuilder(selector).build();
  }
}
