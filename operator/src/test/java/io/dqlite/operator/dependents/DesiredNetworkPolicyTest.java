package io.dqlite.operator.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.NetworkPolicySpec;
import io.dqlite.operator.crd.PeerSelector;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The NetworkPolicy of a cluster, read as a table: for each peer, which ports it may reach. A peer
 * is written {@code ns=<namespace selector labels or *>/pods=<pod selector labels or *>}, {@code
 * own} for the policy's namespace.
 */
class DesiredNetworkPolicyTest {

  static final OperatorPeer OPERATOR =
      new OperatorPeer(
          "dqlite-system",
          Map.of("app.kubernetes.io/name", "dqlite-operator", "app.kubernetes.io/instance", "op"));

  static final String OPERATOR_PODS =
      "ns={kubernetes.io/metadata.name=dqlite-system}"
          + "/pods={app.kubernetes.io/instance=op, app.kubernetes.io/name=dqlite-operator}";
  static final String OWN_PODS =
      "ns=own/pods={app.kubernetes.io/instance=db, app.kubernetes.io/name=dqlite}";
  static final String CLIENTS = "ns=own/pods={dqlite.io/client=db}";

  static Stream<Arguments> policies() {
    return Stream.of(
        Arguments.of(
            "defaults: raft from the cluster, its clients and the operator; admin from the operator",
            null,
            List.of(OWN_PODS, CLIENTS, OPERATOR_PODS),
            List.of(OPERATOR_PODS)),
        Arguments.of(
            "metricsFrom a namespace: every pod of it on the admin port only",
            spec(new PeerSelector(selector("kubernetes.io/metadata.name", "monitoring"), null)),
            List.of(OWN_PODS, CLIENTS, OPERATOR_PODS),
            List.of(OPERATOR_PODS, "ns={kubernetes.io/metadata.name=monitoring}/pods=*")),
        Arguments.of(
            "metricsFrom Prometheus pods of any namespace",
            spec(
                new PeerSelector(
                    new LabelSelector(), selector("app.kubernetes.io/name", "prometheus"))),
            List.of(OWN_PODS, CLIENTS, OPERATOR_PODS),
            List.of(OPERATOR_PODS, "ns={}/pods={app.kubernetes.io/name=prometheus}")),
        Arguments.of(
            "metricsFrom pods of the cluster's namespace",
            spec(new PeerSelector(null, selector("role", "scraper"))),
            List.of(OWN_PODS, CLIENTS, OPERATOR_PODS),
            List.of(OPERATOR_PODS, "ns=own/pods={role=scraper}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void peersPerPort(
      String description, NetworkPolicySpec spec, List<String> raft, List<String> admin) {
    DqliteCluster cr = TestClusters.cluster(s -> s.setNetworkPolicy(spec));
    NetworkPolicy np = DesiredNetworkPolicy.build(cr, OPERATOR);
    assertThat(np.getSpec().getIngress()).hasSize(2);
    assertThat(peers(np, 9001)).isEqualTo(raft);
    assertThat(peers(np, 8081)).isEqualTo(admin);
  }

  @Test
  void guardsTheClusterPodsIngressOnly() {
    DqliteCluster cr = TestClusters.cluster();
    NetworkPolicy np = DesiredNetworkPolicy.build(cr, OPERATOR);
    assertThat(np.getMetadata().getName())
        .isEqualTo("db")
        .isEqualTo(ClusterNames.networkPolicy(cr));
    assertThat(np.getMetadata().getNamespace()).isEqualTo(cr.getMetadata().getNamespace());
    assertThat(np.getMetadata().getLabels()).isEqualTo(ClusterNames.labels(cr));
    assertThat(np.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(ClusterNames.selectorLabels(cr));
    assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(np.getSpec().getEgress()).isEmpty();
    for (NetworkPolicyIngressRule rule : np.getSpec().getIngress()) {
      assertThat(rule.getPorts()).hasSize(1);
      assertThat(rule.getPorts().get(0).getProtocol()).isEqualTo("TCP");
    }
  }

  @Test
  void enabledUnlessTurnedOff() {
    NetworkPolicySpec off = new NetworkPolicySpec();
    off.setEnabled(false);
    assertThat(DesiredNetworkPolicy.enabled(TestClusters.cluster())).isTrue();
    assertThat(
            DesiredNetworkPolicy.enabled(
                TestClusters.cluster(s -> s.setNetworkPolicy(new NetworkPolicySpec()))))
        .isTrue();
    assertThat(DesiredNetworkPolicy.enabled(TestClusters.cluster(s -> s.setNetworkPolicy(off))))
        .isFalse();
  }

  private static NetworkPolicySpec spec(PeerSelector... metricsFrom) {
    NetworkPolicySpec spec = new NetworkPolicySpec();
    spec.setMetricsFrom(List.of(metricsFrom));
    return spec;
  }

  private static LabelSelector selector(String key, String value) {
    return new LabelSelectorBuilder().addToMatchLabels(key, value).build();
  }

  private static List<String> peers(NetworkPolicy np, int port) {
    return np.getSpec().getIngress().stream()
        .filter(r -> r.getPorts().get(0).getPort().getIntVal() == port)
        .flatMap(r -> r.getFrom().stream())
        .map(DesiredNetworkPolicyTest::describe)
        .toList();
  }

  private static String describe(NetworkPolicyPeer p) {
    assertThat(p.getIpBlock()).isNull();
    return "ns="
        + labels(p.getNamespaceSelector(), "own")
        + "/pods="
        + labels(p.getPodSelector(), "*");
  }

  private static String labels(LabelSelector selector, String absent) {
    if (selector == null) {
      return absent;
    }
    assertThat(selector.getMatchExpressions()).isEmpty();
    return new java.util.TreeMap<>(selector.getMatchLabels()).toString();
  }
}
