package io.dqlite.operator;

import io.dqlite.operator.runtime.HealthServer;
import io.dqlite.operator.runtime.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: settings from the environment ({@link OperatorSettings}), one controller
 * for DqliteCluster, leader election on the Lease {@code dqlite-operator}, and {@code /livez},
 * {@code /readyz}, {@code /metrics} on port 8080.
 */
public final class DqliteOperator implements AutoCloseable {

  /** The system property logback.xml selects the appender by ({@code plain} or {@code json}). */
  public static final String LOG_FORMAT_PROPERTY = "dqlite.logFormat";

  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

  private final Operator operator;
  private final HealthServer health;
  private final KubernetesClient client;
  private final AtomicBoolean closed;

  private DqliteOperator(
      Operator operator, HealthServer health, KubernetesClient client, AtomicBoolean closed) {
    this.operator = operator;
    this.health = health;
    this.client = client;
    this.closed = closed;
  }

  public static void main(String[] args) {
    OperatorSettings settings;
    try {
      settings = OperatorSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("dqlite-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.setProperty(LOG_FORMAT_PROPERTY, settings.logFormat().appender());
    Logger log = LoggerFactory.getLogger(DqliteOperator.class);
    try {
      DqliteOperator running = start(settings, new KubernetesClientBuilder().build());
      Runtime.getRuntime().addShutdownHook(new Thread(running::close, "dqlite-operator-stop"));
    } catch (IOException | RuntimeException e) {
      log.error("dqlite-operator failed to start: {}", e.getMessage(), e);
      System.exit(1);
    }
  }

  /**
   * Starts the operator on {@code client}; {@link #close()} stops it and closes the client. A
   * process that loses the Lease exits (JOSDK's default), so it can never reconcile beside the new
   * leader.
   */
  public static DqliteOperator start(OperatorSettings settings, KubernetesClient client)
      throws IOException {
    return start(settings, client, true);
  }

  /** As {@link #start(OperatorSettings, KubernetesClient)}, but losing the Lease only stops. */
  public static DqliteOperator startEmbedded(OperatorSettings settings, KubernetesClient client)
      throws IOException {
    return start(settings, client, false);
  }

  private static DqliteOperator start(
      OperatorSettings settings, KubernetesClient client, boolean exitOnLostLease)
      throws IOException {
    Logger log = LoggerFactory.getLogger(DqliteOperator.class);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    OperatorMetrics metrics = new OperatorMetrics(registry);
    AtomicBoolean closed = new AtomicBoolean();

    Operator operator =
        new Operator(
            o -> {
              // Server-side apply for every owned object, ConfigMaps and Secrets included (JOSDK
              // leaves those two on create/update by default): the RBAC then needs no update.
              o.withKubernetesClient(client)
                  .withDefaultNonSSAResource(Set.of())
                  .withCloseClientOnStop(false)
                  .withReconciliationTerminationTimeout(SHUTDOWN_GRACE)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (settings.leaderElection()) {
                var election =
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            OperatorSettings.LEASE_NAME)
                        .withIdentity(settings.identity())
                        // JOSDK's own exit calls System.exit on the elector's thread, also when
                        // close() stops the elector from the shutdown hook: that hangs the JVM
                        // until SIGKILL. stoppedLeading exits only on a lost Lease.
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(
                            new LeaderCallbacks(
                                () -> log.info("leading as {}", settings.identity()),
                                () -> stoppedLeading(closed, exitOnLostLease),
                                leader -> log.info("the operator leader is {}", leader)));
                settings.operatorNamespace().ifPresent(election::withLeaseNamespace);
                o.withLeaderElectionConfiguration(election.build());
              }
            });
    ReconcilerServices services =
        ReconcilerServices.production(
            client,
            settings.identity(),
            metrics,
            settings.clusterDomain(),
            ReconcilerServices.operatorPeer(settings, client));
    operator.register(
        new DqliteClusterReconciler(services),
        c -> {
          if (settings.watchNamespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(settings.watchNamespaces());
          }
        });
    HealthServer health =
        HealthServer.start(
            settings.httpHost(),
            settings.httpPort(),
            Optional::empty,
            () -> notReady(operator),
            () -> {
              metrics.refresh();
              return registry.scrape();
            });
    try {
      operator.start();
    } catch (RuntimeException e) {
      health.close();
      throw e;
    }
    log.info(
        "dqlite-operator started: namespaces {}, leader election {}, identity {}",
        settings.watchNamespaces().isEmpty() ? "all" : settings.watchNamespaces(),
        settings.leaderElection() ? "on (Lease " + OperatorSettings.LEASE_NAME + ")" : "off",
        settings.identity());
    return new DqliteOperator(operator, health, client, closed);
  }

  /**
   * Leadership ended: on close that is expected; otherwise the Lease was lost, and a process that
   * could still reconcile beside the new leader exits (from another thread: System.exit waits for
   * the shutdown hook, which waits for the elector's thread).
   */
  private static void stoppedLeading(AtomicBoolean closed, boolean exitOnLostLease) {
    Logger log = LoggerFactory.getLogger(DqliteOperator.class);
    if (closed.get()) {
      log.info("stopped leading: shutting down");
      return;
    }
    if (!exitOnLostLease) {
      log.warn("lost the Lease: stopped reconciling");
      return;
    }
    log.error("lost the Lease: exiting so that only the new leader reconciles");
    Thread exit = new Thread(() -> System.exit(1), "dqlite-operator-exit");
    exit.start();
  }

  /**
   * Empty when ready: started, and every informer healthy. Leadership is not required: a stand-by
   * replica must be ready, or a rolling update of the operator would wait for itself forever.
   */
  static Optional<String> notReady(Operator operator) {
    if (!operator.getRuntimeInfo().isStarted()) {
      return Optional.of("not started yet");
    }
    Map<String, ?> unhealthy =
        operator.getRuntimeInfo().unhealthyEventSources().entrySet().stream()
            .filter(e -> !e.getValue().isEmpty())
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    return unhealthy.isEmpty()
        ? Optional.empty()
        : Optional.of("unhealthy event sources: " + unhealthy);
  }

  /** The port of the health endpoints (useful with port 0). */
  public int httpPort() {
    return health.port();
  }

  /** Stops reconciling and serving; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      operator.stop();
    } finally {
      health.close();
      client.close();
    }
  }
}
