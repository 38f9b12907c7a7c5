package io.dqlite.sidecar.daemon;

import io.dqlite.client.Client;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeMetadata;
import io.dqlite.client.model.NodeRole;
import io.dqlite.sidecar.metrics.SidecarMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes this sidecar's {@link ClusterStatus} every status interval (and on demand), and feeds
 * the node and cluster gauges. Probes run one after the other with a 2 s timeout each, as
 * go-dqlite's role algorithm probes.
 */
final class ClusterMonitor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ClusterMonitor.class);
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final LocalNode node;
  private final SidecarMetrics metrics;
  private final Duration interval;
  private final Clock clock;
  private final AtomicReference<ClusterStatus> last =
      new AtomicReference<>(ClusterStatus.unknown());
  private final ScheduledExecutorService timer;
  private static final Duration FAST = Duration.ofSeconds(1);
  private volatile boolean everGood;
  private NodeRole lastRole;
  private String lastError;

  ClusterMonitor(LocalNode node, SidecarMetrics metrics, Duration interval, Clock clock) {
    this.node = node;
    this.metrics = metrics;
    this.interval = interval;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dqlite-cluster-monitor");
              t.setDaemon(true);
              return t;
            });
  }

  /** Refreshes now, then every second until a view succeeds, then every interval. */
  void start() {
    timer.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    ClusterStatus status = null;
    try {
      status = refresh();
    } catch (Throwable e) {
      // Anything escaping here would end the rescheduling, and /readyz and the gauges would freeze
      // on their last value without a word; so every Throwable is logged and the timer goes on.
      log.warn("cluster status refresh failed: {}", e.toString());
    }
    boolean good = status != null && status.error().isEmpty();
    Duration next = good || everGood ? interval : FAST;
    everGood |= good;
    try {
      timer.schedule(this::tick, next.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed.
    }
  }

  /** The last view. */
  ClusterStatus last() {
    return last.get();
  }

  /** Takes a fresh view now (also publishes it). */
  synchronized ClusterStatus refresh() {
    ClusterStatus status = observe();
    last.set(status);
    publish(status);
    return status;
  }

  private ClusterStatus observe() {
    if (!node.isReady()) {
      return ClusterStatus.failed(clock.instant(), "node not ready yet (joining)");
    }
    Optional<NodeInfo> leader;
    List<NodeInfo> nodes;
    try (Client c = node.leader()) {
      leader = c.leader();
      nodes = c.cluster();
    } catch (DqliteException e) {
      return ClusterStatus.failed(clock.instant(), "no leader reachable: " + e.getMessage());
    }
    ConnectorConfig probe =
        node.connectorConfig().toBuilder()
            .dialTimeout(PROBE_TIMEOUT)
            .attemptTimeout(PROBE_TIMEOUT)
            .requestTimeout(PROBE_TIMEOUT)
            .build();
    List<ClusterStatus.Member> members = new ArrayList<>();
    for (NodeInfo n : nodes) {
      NodeMetadata meta = null;
      try (Client c = Client.connect(n.address(), probe)) {
        meta = c.describe();
      } catch (DqliteException e) {
        log.debug("probe {}: {}", n.address(), e.getMessage());
      }
      members.add(
          new ClusterStatus.Member(
              n.id(),
              n.address(),
              n.role(),
              meta != null,
              meta == null ? 0 : meta.failureDomain(),
              meta == null ? 0 : meta.weight()));
    }
    return new ClusterStatus(clock.instant(), leader, members, Optional.empty());
  }

  private void publish(ClusterStatus status) {
    Optional<ClusterStatus.Member> self = status.member(node.id());
    String error = status.error().orElse(null);
    if (!everGood) {
      // Before the first good view (joining): nothing worth a warning yet.
      lastError = null;
    } else if (error != null && !error.equals(lastError)) {
      log.warn("cluster status: {}", error);
    } else if (error == null && lastError != null) {
      log.info(
          "cluster status: leader {} reachable again",
          status.leader().map(NodeInfo::address).orElse("?"));
    }
    lastError = error;
    if (status.error().isEmpty()) {
      NodeRole role = self.map(ClusterStatus.Member::role).orElse(null);
      if (lastRole != null && role != null && role != lastRole) {
        log.info("role changed from {} to {}", lastRole, role);
        metrics.roleChanged(lastRole, role);
      }
      if (role != null) {
        lastRole = role;
      }
      metrics.setRole(Optional.ofNullable(role));
      metrics.setLeader(status.leader().map(l -> l.id() == node.id()).orElse(false));
      for (NodeRole r : NodeRole.values()) {
        metrics.setMembers(r, true, status.count(r, true));
        metrics.setMembers(r, false, status.count(r, false));
      }
    } else {
      metrics.setLeader(false);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
