package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.Client;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.NodeStore;
import io.dqlite.client.model.DqliteException;
import io.dqlite.sidecar.metrics.SidecarMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClusterMonitorTest {

  /** A node whose readiness check throws an Error on its first calls, then reports "joining". */
  private static final class FailingNode implements LocalNode {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public boolean isReady() {
      if (calls.incrementAndGet() <= 2) {
        throw new AssertionError("injected");
      }
      return false;
    }

    @Override
    public long id() {
      return 1;
    }

    @Override
    public String address() {
      return "127.0.0.1:1";
    }

    @Override
    public NodeStore store() {
      throw new UnsupportedOperationException();
    }

    @Override
    public ConnectorConfig connectorConfig() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Client leader() throws DqliteException {
      throw new UnsupportedOperationException();
    }

    @Override
    public void handover(Duration timeout) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  @Test
  void anErrorInARefreshDoesNotStopTheMonitor() {
    FailingNode node = new FailingNode();
    try (ClusterMonitor monitor =
        new ClusterMonitor(node, new SidecarMetrics(), Duration.ofMillis(50), Clock.systemUTC())) {
      monitor.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> assertThat(monitor.last().error()).hasValue("node not ready yet (joining)"));
      assertThat(node.calls.get()).isGreaterThan(2);
    }
  }
}
