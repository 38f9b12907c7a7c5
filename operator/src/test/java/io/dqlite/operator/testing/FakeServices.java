package io.dqlite.operator.testing;

import io.dqlite.operator.OperatorSettings;
import io.dqlite.operator.ReconcilerServices;
import io.dqlite.operator.dependents.OperatorPeer;
import io.dqlite.operator.kube.WorkloadActions;
import io.dqlite.operator.membership.MembershipReader;
import io.dqlite.operator.membership.RaftProtocol;
import io.dqlite.operator.membership.SidecarAdmin;
import io.dqlite.operator.runtime.OperatorMetrics;
import io.dqlite.operator.status.NodeFacts;
import io.dqlite.operator.steps.StepRunner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The reconciler's services with a simulated dqlite cluster behind the sidecar and protocol
 * interfaces, for tests that run the reconciler through JOSDK against an API server.
 */
public final class FakeServices {

  private FakeServices() {}

  /** Services on {@code dqlite} and {@code workloads}; each Event is added to {@code events}. */
  public static ReconcilerServices of(
      FakeCluster dqlite, FakeWorkloads workloads, List<String> events) {
    return of(dqlite, dqlite, workloads, events);
  }

  /** Services whose steps change raft through {@code raft} (e.g. {@code dqlite} wrapped). */
  public static ReconcilerServices of(
      FakeCluster dqlite, RaftProtocol raft, WorkloadActions workloads, List<String> events) {
    return of(dqlite, dqlite, raft, workloads, events);
  }

  /**
   * Services whose steps hand over through {@code handovers} and change raft through {@code raft}
   * (e.g. {@code dqlite} wrapped); the membership is read from {@code dqlite}.
   */
  public static ReconcilerServices of(
      FakeCluster dqlite,
      SidecarAdmin handovers,
      RaftProtocol raft,
      WorkloadActions workloads,
      List<String> events) {
    return of(dqlite, handovers, raft, workloads, events, Clock.systemUTC());
  }

  /** As above, on {@code clock} (certificates fall due when it is moved on). */
  public static ReconcilerServices of(
      FakeCluster dqlite,
      SidecarAdmin handovers,
      RaftProtocol raft,
      WorkloadActions workloads,
      List<String> events,
      Clock clock) {
    return new ReconcilerServices(
        new MembershipReader(dqlite, dqlite, Duration.ofSeconds(2)),
        new StepRunner(handovers, raft, workloads, Fixtures.DOMAIN),
        NodeFacts::unknown,
        (cr, e) -> events.add(e.reason() + ": " + e.note()),
        new OperatorMetrics(new SimpleMeterRegistry()),
        clock,
        Fixtures.DOMAIN,
        new OperatorPeer("dqlite-system", OperatorSettings.DEFAULT_POD_LABELS));
  }
}
