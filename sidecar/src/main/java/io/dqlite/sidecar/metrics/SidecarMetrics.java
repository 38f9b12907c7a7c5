package io.dqlite.sidecar.metrics;

import io.dqlite.client.model.NodeRole;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every metric the sidecar exports, on one Prometheus registry. Names (Prometheus form):
 *
 * <ul>
 *   <li>{@code dqlite_role{role}}: 1 for this node's role ({@code voter}, {@code stand-by}, {@code
 *       spare}, go-dqlite's names), 0 for the others; all 0 while unknown
 *   <li>{@code dqlite_leader}: 1 while this node leads
 *   <li>{@code dqlite_ready}: 1 while {@code /readyz} answers 200
 *   <li>{@code dqlite_failure_domain}: this node's failure domain
 *   <li>{@code dqlite_cluster_members{role,online}}: members by role and online state, from the
 *       leader's configuration and a describe probe of each
 *   <li>{@code dqlite_role_changes_total{from,to}}: changes of this node's role seen by the sidecar
 *   <li>{@code dqlite_handovers_total{outcome}}: handovers run (success, failure)
 *   <li>{@code dqlite_handover_seconds}: how long handovers took (histogram)
 *   <li>{@code dqlite_roles_adjustments_total}: roles-adjustment ticks of the App's loop
 *   <li>the app socket's, see {@link AppSocketMeters}
 *   <li>the TLS proxy's ({@code dqlite_proxy_*}), registered globally by the proxy listener
 *   <li>JVM and process: {@code jvm_memory_*}, {@code jvm_gc_*}, {@code jvm_threads_*}, {@code
 *       jvm_classes_*}, {@code system_cpu_*}, {@code process_cpu_*}, {@code process_uptime_*},
 *       {@code process_files_*}
 * </ul>
 */
public final class SidecarMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<NodeRole, AtomicLong> role = new EnumMap<>(NodeRole.class);
  private final AtomicLong leader = new AtomicLong();
  private final AtomicLong ready = new AtomicLong();
  private final AtomicLong failureDomain = new AtomicLong();
  private final Map<NodeRole, AtomicLong> online = new EnumMap<>(NodeRole.class);
  private final Map<NodeRole, AtomicLong> offline = new EnumMap<>(NodeRole.class);
  private final Counter adjustments;
  private final Timer handoverDuration;
  private final AppSocketMeters appSocket;
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public SidecarMetrics() {
    for (NodeRole r : NodeRole.values()) {
      role.put(r, gauge("dqlite.role", "1 for this node's role", "role", label(r)));
      online.put(
          r,
          gauge(
              "dqlite.cluster.members",
              "Members by role and online state",
              "role",
              label(r),
              "online",
              "true"));
      offline.put(
          r,
          gauge(
              "dqlite.cluster.members",
              "Members by role and online state",
              "role",
              label(r),
              "online",
              "false"));
    }
    Gauge.builder("dqlite.leader", leader, AtomicLong::get)
        .description("1 while this node is the leader")
        .register(registry);
    Gauge.builder("dqlite.ready", ready, AtomicLong::get)
        .description("1 while the node is ready (GET /readyz)")
        .register(registry);
    Gauge.builder("dqlite.failure.domain", failureDomain, AtomicLong::get)
        .description("This node's failure domain")
        .register(registry);
    adjustments =
        Counter.builder("dqlite.roles.adjustments")
            .description("Roles-adjustment ticks of the App's loop")
            .register(registry);
    handoverDuration =
        Timer.builder("dqlite.handover")
            .description("How long handovers took")
            .serviceLevelObjectives(
                Duration.ofMillis(100),
                Duration.ofMillis(250),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofMillis(2500),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60))
            .register(registry);
    for (String outcome : new String[] {"success", "failure"}) {
      handovers(outcome);
    }
    appSocket = new AppSocketMeters(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    // Meters of code that has no path to this object (the TLS proxy's, see ProxyMeters) register
    // on Micrometer's global registry, which forwards them here.
    Metrics.addRegistry(registry);
  }

  private AtomicLong gauge(String name, String description, String... tags) {
    AtomicLong value = new AtomicLong();
    Gauge.builder(name, value, AtomicLong::get)
        .description(description)
        .tags(tags)
        .register(registry);
    return value;
  }

  /** The label value of a role, as go-dqlite prints it: voter, stand-by, spare. */
  public static String label(NodeRole r) {
    return r.toString();
  }

  private Counter handovers(String outcome) {
    return Counter.builder("dqlite.handovers")
        .description("Handovers run, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** The meters of the app socket. */
  public AppSocketMeters appSocket() {
    return appSocket;
  }

  /** The registry, for tests and extra meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  public void setRole(Optional<NodeRole> current) {
    role.forEach((r, v) -> v.set(current.isPresent() && current.get() == r ? 1 : 0));
  }

  public void setLeader(boolean isLeader) {
    leader.set(isLeader ? 1 : 0);
  }

  public void setReady(boolean isReady) {
    ready.set(isReady ? 1 : 0);
  }

  public void setFailureDomain(long domain) {
    failureDomain.set(domain);
  }

  public void setMembers(NodeRole r, boolean isOnline, int count) {
    (isOnline ? online : offline).get(r).set(count);
  }

  public void roleChanged(NodeRole from, NodeRole to) {
    Counter.builder("dqlite.role.changes")
        .description("Changes of this node's role")
        .tag("from", label(from))
        .tag("to", label(to))
        .register(registry)
        .increment();
  }

  public void adjustmentRan() {
    adjustments.increment();
  }

  /** Records one handover. */
  public void handover(boolean success, Duration took) {
    handovers(success ? "success" : "failure").increment();
    handoverDuration.record(took);
  }

  @Override
  public void close() {
    Metrics.removeRegistry(registry);
    gc.close();
    registry.close();
  }
}
