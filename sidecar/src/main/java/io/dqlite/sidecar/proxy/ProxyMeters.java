package io.dqlite.sidecar.proxy;

import io.dqlite.sidecar.proxy.ProxyLimits.Admission;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The proxy listener's meters, process-wide, on Micrometer's global registry (the sidecar adds its
 * Prometheus registry to it, so they reach {@code /metrics} without wiring through the App):
 *
 * <ul>
 *   <li>{@code dqlite_proxy_connections_refused_total{reason}}: connections closed at accept by a
 *       limit ({@code connections}, {@code handshakes}, {@code handshakes_per_source}), see {@link
 *       ProxyLimits}
 *   <li>{@code dqlite_proxy_handshakes_failed_total{reason}}: TLS handshakes that failed ({@code
 *       error}: bad bytes, wrong certificate, peer gone) or missed the deadline ({@code deadline})
 *   <li>{@code dqlite_proxy_connections_active}, {@code dqlite_proxy_handshakes_active}: gauges
 * </ul>
 */
final class ProxyMeters {

  static final ProxyMeters GLOBAL = new ProxyMeters(Metrics.globalRegistry);

  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger handshakes = new AtomicInteger();
  private final Map<Admission, Counter> refused = new EnumMap<>(Admission.class);
  private final Counter failed;
  private final Counter timedOut;

  ProxyMeters(MeterRegistry registry) {
    for (Admission a : Admission.values()) {
      if (a != Admission.ADMIT) {
        refused.put(
            a,
            Counter.builder("dqlite.proxy.connections.refused")
                .description("Connections to the TLS proxy closed at accept by a limit")
                .tag("reason", a.label())
                .register(registry));
      }
    }
    failed = handshakeCounter(registry, "error");
    timedOut = handshakeCounter(registry, "deadline");
    Gauge.builder("dqlite.proxy.connections.active", connections, AtomicInteger::get)
        .description("Connections of the TLS proxy, handshaking or proxied")
        .register(registry);
    Gauge.builder("dqlite.proxy.handshakes.active", handshakes, AtomicInteger::get)
        .description("TLS handshakes in progress on the proxy")
        .register(registry);
  }

  private static Counter handshakeCounter(MeterRegistry registry, String reason) {
    return Counter.builder("dqlite.proxy.handshakes.failed")
        .description("TLS handshakes on the proxy that failed or missed the deadline")
        .tag("reason", reason)
        .register(registry);
  }

  void refused(Admission reason) {
    refused.get(reason).increment();
  }

  void handshakeFailed() {
    failed.increment();
  }

  void handshakeTimedOut() {
    timedOut.increment();
  }
}
