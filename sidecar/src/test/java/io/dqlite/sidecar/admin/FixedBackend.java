package io.dqlite.sidecar.admin;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A backend with settable answers, for testing the HTTP layer and its clients. */
public final class FixedBackend implements AdminBackend {

  public static final long NODE_ID = 0x2a;

  public volatile Answer live = Answer.ok("ok");
  public volatile Answer ready = new Answer(503, "not ready: joining");
  public volatile String metrics = "# TYPE x gauge\nx 1.0\n";
  public volatile Answer cluster = Answer.ok(Map.of("members", java.util.List.of()));
  public volatile Answer handover = Answer.ok(Map.of("outcome", "success"));
  public final AtomicInteger handovers = new AtomicInteger();

  /** The exclude list of the last handover. */
  public volatile java.util.Set<Long> excluded = java.util.Set.of();

  /** When set, cluster() waits (at most a minute) until it opens, as a slow cluster would. */
  public volatile CountDownLatch clusterGate;

  public final AtomicInteger clusterCalls = new AtomicInteger();

  @Override
  public long nodeId() {
    return NODE_ID;
  }

  @Override
  public Answer live() {
    return live;
  }

  @Override
  public Answer ready() {
    return ready;
  }

  @Override
  public String metrics() {
    return metrics;
  }

  @Override
  public Answer cluster() {
    clusterCalls.incrementAndGet();
    CountDownLatch gate = clusterGate;
    if (gate != null) {
      try {
        gate.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return cluster;
  }

  @Override
  public Answer handover(java.util.Set<Long> exclude) {
    handovers.incrementAndGet();
    excluded = exclude;
    return handover;
  }
}
