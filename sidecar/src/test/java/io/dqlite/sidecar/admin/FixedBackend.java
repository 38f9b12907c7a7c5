package io.dqlite.sidecar.admin;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A backend with settable answers, for testing the HTTP layer and its clients. */
public final class FixedBackend implements AdminBackend {

  public volatile Answer live = Answer.ok("ok");
  public volatile Answer ready = new Answer(503, "not ready: joining");
  public volatile String metrics = "# TYPE x gauge\nx 1.0\n";
  public volatile Answer cluster = Answer.ok(Map.of("members", java.util.List.of()));
  public volatile Answer handover = Answer.ok(Map.of("outcome", "success"));
  public final AtomicInteger handovers = new AtomicInteger();

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
    return cluster;
  }

  @Override
  public Answer handover() {
    handovers.incrementAndGet();
    return handover;
  }
}
