package io.dqlite.sidecar.app;

import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeMetadata;
import io.dqlite.client.net.Dialer;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.sidecar.roles.ProbeResult;
import io.dqlite.sidecar.roles.RolesChanges;
import io.dqlite.sidecar.roles.RolesConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every member for its failure domain and weight (the describe request) and builds the {@link
 * RolesChanges} snapshot from the answers: go-dqlite's {@code makeRolesChanges} (app/app.go,
 * v1.11.9). A member that does not answer within {@link #TIMEOUT} (dial and request together) is
 * offline. At most {@code availableProcessors} probes run at once, as go-dqlite's {@code NumCPU}.
 */
final class Prober implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Prober.class);

  /** go-dqlite's probe timeout. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Dialer dialer;
  private final RolesConfig config;
  private final ExecutorService threads;

  Prober(String name, Dialer dialer, RolesConfig config) {
    this.dialer = dialer;
    this.config = config;
    AtomicInteger counter = new AtomicInteger();
    int parallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
    this.threads =
        Executors.newFixedThreadPool(
            parallelism,
            r -> {
              Thread t = new Thread(r, "dqlite-probe-" + name + "-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Probes {@code members} and returns the snapshot; interrupted = the remaining are offline. */
  RolesChanges probe(List<NodeInfo> members) {
    return probe(members, null);
  }

  /**
   * Probes {@code members}, all within {@code budget} (null: no bound beyond each probe's {@link
   * #TIMEOUT}); a member that has not answered by then is offline.
   */
  RolesChanges probe(List<NodeInfo> members, Duration budget) {
    Duration each = budget != null && budget.compareTo(TIMEOUT) < 0 ? budget : TIMEOUT;
    long start = System.nanoTime();
    Map<Long, NodeInfo> unique = new LinkedHashMap<>();
    members.forEach(m -> unique.putIfAbsent(m.id(), m));
    Map<Long, Future<Optional<ProbeResult>>> pending = new LinkedHashMap<>();
    for (NodeInfo member : unique.values()) {
      try {
        pending.put(member.id(), threads.submit(() -> describe(member.address(), each)));
      } catch (RejectedExecutionException e) {
        break; // closing: the rest count as offline
      }
    }
    Map<Long, ProbeResult> results = new HashMap<>();
    for (Map.Entry<Long, Future<Optional<ProbeResult>>> entry : pending.entrySet()) {
      try {
        // Each probe is bounded by TIMEOUT once it runs; the bound here is a safety net.
        long wait = TIMEOUT.toNanos() * (pending.size() + 2);
        if (budget != null) {
          wait = Math.min(wait, Math.max(0, budget.toNanos() - (System.nanoTime() - start)));
        }
        entry
            .getValue()
            .get(wait, TimeUnit.NANOSECONDS)
            .ifPresent(r -> results.put(entry.getKey(), r));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancelAll(pending);
        break;
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        entry.getValue().cancel(true);
      }
    }
    return new RolesChanges(config, new ArrayList<>(unique.values()), results);
  }

  private Optional<ProbeResult> describe(String address, Duration timeout) {
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    ProtocolConnection conn;
    try {
      conn = ProtocolConnection.connect(dialer, address, timeout, timeout);
    } catch (DqliteException e) {
      LOG.debug("probe {}: offline: {}", address, e.getMessage());
      return Optional.empty();
    }
    try (conn) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      conn.setRequestTimeout(Duration.ofNanos(left));
      NodeMetadata metadata = conn.describe();
      long answer = (System.nanoTime() - started) / 1_000_000;
      return Optional.of(new ProbeResult(metadata.failureDomain(), metadata.weight(), answer));
    } catch (DqliteException e) {
      LOG.debug(
          "probe {}: offline after {} ms: {}",
          address,
          (System.nanoTime() - started) / 1_000_000,
          e.getMessage());
      return Optional.empty();
    }
  }

  private static void cancelAll(Map<Long, Future<Optional<ProbeResult>>> pending) {
    pending.values().forEach(f -> f.cancel(true));
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
