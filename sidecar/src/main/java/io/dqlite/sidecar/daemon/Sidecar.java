package io.dqlite.sidecar.daemon;

import io.dqlite.client.model.DqliteException;
import io.dqlite.sidecar.admin.AdminAuth;
import io.dqlite.sidecar.admin.AdminServer;
import io.dqlite.sidecar.app.App;
import io.dqlite.sidecar.app.AppBuilder;
import io.dqlite.sidecar.appsocket.AppSocket;
import io.dqlite.sidecar.metrics.SidecarMetrics;
import io.dqlite.sidecar.node.DqliteLibrary;
import io.dqlite.sidecar.node.EngineFeatures;
import io.dqlite.sidecar.node.NativeLibraryException;
import io.dqlite.sidecar.node.NodeOptions.SnapshotParams;
import io.dqlite.sidecar.tls.SimpleTls;
import io.dqlite.sidecar.tls.TlsCredentials;
import io.dqlite.sidecar.zone.ZoneResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon in one pod: the App (the dqlite node), the app socket, the admin server, the cluster
 * monitor and the metrics. {@link #start} brings them up in that order and undoes what it started
 * if a step fails; {@link #shutdown()} hands over, then closes everything in reverse.
 */
public final class Sidecar implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Sidecar.class);

  private final SidecarOptions options;
  private final LocalNode node;
  private final ZoneResolver.Zone zone;
  private final long failureDomain;
  private final SidecarMetrics metrics;
  private final ReentrantLock handoverLock = new ReentrantLock();
  private ClusterMonitor monitor;
  private AppSocket appSocket;
  private AdminServer admin;
  private volatile boolean stopping;
  private volatile boolean stopped;

  private Sidecar(
      SidecarOptions options,
      LocalNode node,
      ZoneResolver.Zone zone,
      long failureDomain,
      SidecarMetrics metrics) {
    this.options = options;
    this.node = node;
    this.zone = zone;
    this.failureDomain = failureDomain;
    this.metrics = metrics;
  }

  /**
   * Resolves the zone, decides how to join, starts the App and serves it.
   *
   * @throws IOException when something cannot start; the message says what and how to fix it
   */
  public static Sidecar start(SidecarOptions o) throws IOException, InterruptedException {
    log.info(
        "starting: address {}, data in {}, app socket {}, admin on {}",
        o.address(),
        o.dir(),
        o.appSocket(),
        o.adminAddress());
    DataDir.requireIdentityWithRaftData(o.dir());
    if (o.adminAuth().tokenFile().isPresent()) {
      // Fail before the node starts: a sidecar nobody can hand over is worse than one that stops.
      AdminAuth.readToken(o.adminAuth().tokenFile().get());
    }
    SidecarMetrics metrics = new SidecarMetrics();
    ZoneResolver.Zone zone =
        new ZoneResolver(
                o.zoneLabel(),
                o.podLabelsFile(),
                o.nodeName().orElse(null),
                ZoneResolver::defaultClient)
            .resolve(o.zone().orElse(null));
    long domain = o.failureDomain().orElse(zone.failureDomain());
    log.info(
        "zone {} (from {}), failure domain {}{}",
        zone.zone().orElse("unknown"),
        zone.source().name().toLowerCase(java.util.Locale.ROOT),
        domain,
        o.failureDomain().isPresent() ? " (set by --failure-domain)" : "");
    JoinPlan plan = plan(o);
    log.info(
        "join plan: {}{}",
        plan.kind().name().toLowerCase(java.util.Locale.ROOT),
        plan.seeds().isEmpty() ? "" : " through " + String.join(",", plan.seeds()));
    checkIdentity(o, plan);
    AppBuilder builder =
        App.builder(o.dir())
            .address(o.address())
            .cluster(plan.seeds())
            .voters(o.voters())
            .standBys(o.standBys())
            .failureDomain(domain)
            .networkLatency(o.networkLatency())
            .rolesAdjustmentFrequency(o.rolesAdjustmentFrequency())
            .snapshot(new SnapshotParams(o.snapshotThreshold(), o.snapshotTrailing()))
            .diskMode(o.engine().diskMode())
            .autoRecovery(o.engine().autoRecovery().orElse(null))
            .snapshotCompression(snapshotCompression(o).orElse(null))
            .rolesAdjustmentHook((leader, members) -> metrics.adjustmentRan())
            .fitness(new FreeSpace(o.dir(), o.minFreeDisk()));
    if (o.tls().isPresent()) {
      SidecarOptions.TlsFiles f = o.tls().get();
      TlsCredentials credentials = TlsCredentials.load(f.cert(), f.key(), f.ca());
      builder.tls(SimpleTls.listen(credentials), SimpleTls.dial(credentials));
    }
    App app;
    try {
      app = builder.build();
    } catch (IllegalArgumentException | IOException e) {
      metrics.close();
      throw new IOException("start the dqlite node: " + e.getMessage(), e);
    }
    return serve(o, new AppNode(app), zone, domain, metrics);
  }

  /**
   * The snapshot compression for this node: the flag when set, else the default of the libdqlite
   * found ({@link EngineDefaults}); a default applied is logged once.
   */
  private static Optional<Boolean> snapshotCompression(SidecarOptions o) {
    Optional<Boolean> set = o.engine().snapshotCompression();
    if (set.isPresent()) {
      return set;
    }
    EngineFeatures features;
    try {
      features = DqliteLibrary.get().features();
    } catch (NativeLibraryException e) {
      // The library did not load: the node's create reports it, with its remedy.
      return set;
    }
    Optional<Boolean> chosen = EngineDefaults.snapshotCompression(features, set);
    chosen.ifPresent(
        v ->
            log.info(
                "snapshot compression {} (the sidecar's default on libdqlite {};"
                    + " --snapshot-compression sets it)",
                v ? "on" : "off",
                features.version()));
    return chosen;
  }

  /**
   * Serves a node that already runs: app socket, cluster monitor, admin server. Takes ownership of
   * {@code node} and {@code metrics}; on failure they are closed.
   */
  public static Sidecar serve(
      SidecarOptions o, LocalNode node, ZoneResolver.Zone zone, long domain, SidecarMetrics metrics)
      throws IOException {
    Sidecar s = new Sidecar(o, node, zone, domain, metrics);
    try {
      metrics.setFailureDomain(domain);
      s.appSocket =
          AppSocket.start(
              AppSocket.Options.defaults(o.appSocket(), node.connectorConfig())
                  .withLimits(o.appSocketLimits())
                  .withLocalNode(node.address()),
              node.store(),
              metrics.appSocket());
      s.monitor = new ClusterMonitor(node, metrics, o.statusInterval(), Clock.systemUTC());
      s.monitor.start();
      s.admin = AdminServer.start(o.adminAddress(), new SidecarAdmin(s), o.adminAuth());
    } catch (IOException | RuntimeException e) {
      s.closeAll();
      throw e;
    }
    log.info("started node 0x{} ({})", Long.toHexString(node.id()), node.address());
    return s;
  }

  /**
   * Refuses a directory of another cluster, or a bootstrap the cluster forbids ({@link
   * ClusterIdentity}); records the id on the first start (and on the first start of a directory
   * written before ids existed).
   */
  private static void checkIdentity(SidecarOptions o, JoinPlan plan) throws IOException {
    ClusterIdentity identity = o.clusterIdentity();
    Optional<String> recorded = DataDir.readClusterId(o.dir());
    ClusterIdentity.Check check = identity.check(o.dir(), plan.kind(), recorded);
    if (check instanceof ClusterIdentity.Refuse refuse) {
      throw new IOException(refuse.message());
    }
    Optional<String> write = ((ClusterIdentity.Proceed) check).write();
    if (write.isPresent()) {
      DataDir.writeClusterId(o.dir(), write.get());
      log.info("cluster id {} recorded in {}", write.get(), o.dir().resolve(ClusterIdentity.FILE));
    } else if (recorded.isPresent()) {
      log.info("cluster id {}", recorded.get());
    }
  }

  private static JoinPlan plan(SidecarOptions o) {
    boolean hasData = Files.exists(o.dir().resolve("info.yaml"));
    List<String> join =
        hasData
            ? List.of()
            : JoinPlan.expand(o.join(), SidecarOptions.DEFAULT_PORT, InetAddress::getAllByName);
    return JoinPlan.decide(o.address(), join, hasData);
  }

  SidecarOptions options() {
    return options;
  }

  LocalNode node() {
    return node;
  }

  ZoneResolver.Zone zone() {
    return zone;
  }

  long failureDomain() {
    return failureDomain;
  }

  SidecarMetrics metrics() {
    return metrics;
  }

  ClusterMonitor monitor() {
    return monitor;
  }

  ReentrantLock handoverLock() {
    return handoverLock;
  }

  boolean stopping() {
    return stopping;
  }

  /** The admin server's address. */
  public String adminAddress() {
    return admin.address();
  }

  /** Why the app socket cannot serve (liveness fails), or empty. */
  java.util.Optional<String> appSocketProblem() {
    return appSocket == null ? java.util.Optional.empty() : appSocket.problem();
  }

  /** The app socket's address. */
  public String appSocketAddress() {
    return appSocket.address();
  }

  /**
   * Stops the daemon for good: hands over (when the node is ready, within the handover timeout,
   * after any handover in progress), then closes the app socket, the monitor, the node and the
   * admin server. Idempotent; what a SIGTERM runs.
   */
  public void shutdown() {
    synchronized (this) {
      if (stopping) {
        return;
      }
      stopping = true;
    }
    log.info("shutting down");
    long start = System.nanoTime();
    if (node.isReady()) {
      boolean locked = false;
      try {
        locked = handoverLock.tryLock(options.handoverTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (locked) {
          handover(options.handoverTimeout());
        } else {
          log.warn(
              "a handover was still running after {}; stopping anyway", options.handoverTimeout());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (DqliteException e) {
        log.warn("handover before shutdown failed: {}; stopping anyway", e.getMessage());
      } finally {
        if (locked) {
          handoverLock.unlock();
        }
      }
    } else {
      log.info("node not ready: nothing to hand over");
    }
    closeAll();
    log.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
  }

  /** Runs the App's handover and records it; the caller holds the handover lock. */
  void handover(Duration timeout) throws DqliteException, InterruptedException {
    handover(timeout, java.util.Set.of());
  }

  /**
   * The same, giving neither leadership nor this node's role to the nodes in {@code exclude}
   * (members the operator is about to remove).
   */
  void handover(Duration timeout, java.util.Set<Long> exclude)
      throws DqliteException, InterruptedException {
    long start = System.nanoTime();
    log.info(
        "handover starting (deadline {} s){}",
        timeout.toSeconds(),
        exclude.isEmpty()
            ? ""
            : ", excluding " + exclude.stream().map(id -> "0x" + Long.toHexString(id)).toList());
    boolean ok = false;
    try {
      node.handover(timeout, exclude);
      ok = true;
    } finally {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      metrics.handover(ok, took);
      log.info("handover {} in {} ms", ok ? "done" : "failed", took.toMillis());
    }
  }

  /** Closes in order: app socket, monitor, node, admin server (answers until the end), metrics. */
  private synchronized void closeAll() {
    if (stopped) {
      return;
    }
    stopped = true;
    for (AutoCloseable c : new AutoCloseable[] {appSocket, monitor, node, admin, metrics}) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing {}: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }

  /** Same as {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }
}
