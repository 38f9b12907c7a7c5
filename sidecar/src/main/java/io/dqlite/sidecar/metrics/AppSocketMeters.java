package io.dqlite.sidecar.metrics;

import io.dqlite.client.protocol.RequestType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The app socket's meters: {@code dqlite_app_socket_connections_active} (gauge), {@code
 * dqlite_app_socket_connections_accepted_total}, {@code
 * dqlite_app_socket_connections_rejected_total} (over the connection limit), {@code
 * dqlite_app_socket_protocol_errors_total} (connections closed for garbage), {@code
 * dqlite_app_socket_refused_total{reason}} (requests answered by the socket instead of forwarded:
 * {@code statement}, {@code describe}, {@code membership}, {@code too_big}), {@code
 * dqlite_app_socket_deadline_closes_total{deadline}} ({@code idle}, {@code frame}, {@code write})
 * and {@code dqlite_app_socket_request_seconds{type}} (a histogram per request type seen, from the
 * request's arrival to the last byte of its answer). Labelled counters appear on first use.
 */
public final class AppSocketMeters {

  /** Histogram buckets of the request latency, from 100 µs to 10 s. */
  static final Duration[] BUCKETS = {
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  private final AtomicInteger active = new AtomicInteger();
  private final Counter accepted;
  private final Counter rejected;
  private final Counter protocolErrors;
  private final MeterRegistry registry;

  /**
   * One timer per request type, registered on first use (idle types stay out of /metrics). Read
   * without a lock: every app-socket thread records here after each request, and a shared lock (the
   * former synchronized map) made concurrent sessions queue, and park, behind each other.
   */
  private final AtomicReferenceArray<Timer> latency =
      new AtomicReferenceArray<>(RequestType.values().length);

  public AppSocketMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("dqlite.app.socket.connections.active", active, AtomicInteger::get)
        .description("Open connections on the app socket")
        .register(registry);
    accepted =
        Counter.builder("dqlite.app.socket.connections.accepted")
            .description("Connections accepted on the app socket")
            .register(registry);
    rejected =
        Counter.builder("dqlite.app.socket.connections.rejected")
            .description("Connections refused because the connection limit was reached")
            .register(registry);
    protocolErrors =
        Counter.builder("dqlite.app.socket.protocol.errors")
            .description("App socket connections closed because the client sent garbage")
            .register(registry);
  }

  /** The latency timer of {@code type}, registered on first use to keep idle types out. */
  private Timer timer(RequestType type) {
    Timer t = latency.get(type.ordinal());
    if (t == null) {
      // Registering twice is harmless: the registry returns the meter it already has.
      t =
          Timer.builder("dqlite.app.socket.request")
              .description("Time from a request's arrival on the app socket to its full answer")
              .tag("type", type.toString())
              .serviceLevelObjectives(BUCKETS)
              .register(registry);
      latency.set(type.ordinal(), t);
    }
    return t;
  }

  /** A meter set on its own registry, for tests and tools that do not export. */
  public static AppSocketMeters noop() {
    return new AppSocketMeters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  public void opened() {
    accepted.increment();
    active.incrementAndGet();
  }

  public void closed() {
    active.decrementAndGet();
  }

  public void rejected() {
    rejected.increment();
  }

  public void protocolError() {
    protocolErrors.increment();
  }

  public void request(RequestType type, long nanos) {
    timer(type).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A request answered by the socket itself, for {@code reason}, instead of forwarded. */
  public void refused(String reason) {
    Counter.builder("dqlite.app.socket.refused")
        .description("Requests the app socket answered with a failure instead of forwarding")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** A connection closed because its {@code deadline} (idle, frame, write) passed. */
  public void deadlineClosed(String deadline) {
    Counter.builder("dqlite.app.socket.deadline.closes")
        .description("App socket connections closed because a deadline passed")
        .tag("deadline", deadline)
        .register(registry)
        .increment();
  }

  /** Open connections now. */
  public int active() {
    return active.get();
  }
}
