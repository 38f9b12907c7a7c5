package io.dqlite.operator;

import io.dqlite.operator.dependents.OperatorPeer;
import io.dqlite.operator.dependents.Sidecar;
import io.dqlite.operator.kube.EventRecorder;
import io.dqlite.operator.kube.KubernetesEventRecorder;
import io.dqlite.operator.kube.KubernetesWorkloadActions;
import io.dqlite.operator.kube.NodeInventory;
import io.dqlite.operator.membership.ClusterDialers;
import io.dqlite.operator.membership.DqliteRaftProtocol;
import io.dqlite.operator.membership.HttpSidecarAdmin;
import io.dqlite.operator.membership.MembershipReader;
import io.dqlite.operator.membership.RaftProtocol;
import io.dqlite.operator.membership.SidecarAdmin;
import io.dqlite.operator.runtime.OperatorMetrics;
import io.dqlite.operator.status.NodeFacts;
import io.dqlite.operator.steps.StepRunner;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the reconciler talks to, gathered so that tests can replace the network parts.
 *
 * @param membership reads the raft membership
 * @param steps takes scale and rolling steps
 * @param nodes the cluster's nodes
 * @param events records Events
 * @param metrics the operator's own metrics
 * @param clock the time conditions and deadlines are computed with
 * @param clusterDomain the DNS domain of pod addresses
 * @param operatorPeer the operator's own pods, which each cluster's NetworkPolicy admits
 */
public record ReconcilerServices(
    MembershipReader membership,
    StepRunner steps,
    Supplier<NodeFacts> nodes,
    EventRecorder events,
    OperatorMetrics metrics,
    Clock clock,
    String clusterDomain,
    OperatorPeer operatorPeer) {

  /** How long the sidecars' {@code /cluster} answers are awaited in one reconciliation. */
  public static final Duration MEMBERSHIP_DEADLINE = Duration.ofSeconds(12);

  /** The production services, on {@code client}. */
  public static ReconcilerServices production(
      KubernetesClient client,
      String instance,
      OperatorMetrics metrics,
      String clusterDomain,
      OperatorPeer operatorPeer) {
    Clock clock = Clock.systemUTC();
    SidecarAdmin sidecars = new HttpSidecarAdmin(Sidecar.HANDOVER_TIMEOUT);
    RaftProtocol raft = new DqliteRaftProtocol(new ClusterDialers(client));
    return new ReconcilerServices(
        new MembershipReader(sidecars, raft, MEMBERSHIP_DEADLINE),
        new StepRunner(sidecars, raft, new KubernetesWorkloadActions(client), clusterDomain),
        new NodeInventory(client, clock),
        new KubernetesEventRecorder(client, instance, clock),
        metrics,
        clock,
        clusterDomain,
        operatorPeer);
  }

  /** Production services with metrics kept in memory only (for tests and embedded use). */
  public static ReconcilerServices production(KubernetesClient client) {
    return production(
        client,
        "dqlite-operator",
        new OperatorMetrics(new SimpleMeterRegistry()),
        OperatorSettings.environmentClusterDomain(),
        operatorPeer(OperatorSettings.fromEnvironment(System.getenv()), client));
  }

  /** The operator's pods: its namespace (the setting, else the client's) and pod labels. */
  public static OperatorPeer operatorPeer(OperatorSettings settings, KubernetesClient client) {
    String namespace =
        settings
            .operatorNamespace()
            .orElseGet(() -> client.getNamespace() == null ? "default" : client.getNamespace());
    return new OperatorPeer(namespace, settings.operatorPodLabels());
  }
}
