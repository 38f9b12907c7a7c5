package io.dqlite.sidecar.cli;

import io.dqlite.sidecar.admin.AdminAuth;
import io.dqlite.sidecar.appsocket.AppSocket;
import io.dqlite.sidecar.daemon.Sidecar;
import io.dqlite.sidecar.daemon.SidecarOptions;
import io.dqlite.sidecar.daemon.SidecarOptions.LogFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dqlite-sidecar run}: starts the daemon and runs until SIGTERM or SIGINT, which hand over
 * and stop it. Every flag also reads its environment variable ({@link EnvDefaults}); defaults are
 * those of {@link SidecarOptions}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Runs the dqlite node, its app socket and its admin endpoints (the default).")
final class RunCommand implements Callable<Integer> {

  /** Returned when the daemon runs on after {@code main} returns (never, in practice). */
  static final int KEEP_RUNNING = Integer.MIN_VALUE;

  Map<String, String> env = Map.of();

  @Spec CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Data directory: identity, members, raft log (default: /var/lib/dqlite).")
  Path dir;

  @Option(names = "--address", paramLabel = "HOST:PORT",
      description = "This node's stable address, the same on every start (default: "
          + "$POD_NAME.$DQLITE_SERVICE.$POD_NAMESPACE.svc.$DQLITE_CLUSTER_DOMAIN:9001 when set, "
          + "else the one in DIR/info.yaml on a restart).")
  String address;

  @Option(names = "--join", paramLabel = "SEEDS",
      description = "Comma-separated host:port or dns:NAME[:port] seeds for the first start; "
          + "this node's own address is dropped; nothing left bootstraps a new cluster.")
  String join;

  @Option(names = "--voters", paramLabel = "N", description = "Target voters, odd (default: 3).")
  Integer voters;

  @Option(names = "--standbys", paramLabel = "N", description = "Target stand-bys (default: 3).")
  Integer standBys;

  @Option(names = "--zone", paramLabel = "ZONE",
      description = "This node's zone (default: from the pod labels file, then the Node's label).")
  String zone;

  @Option(names = "--zone-label", paramLabel = "LABEL",
      description = "Label holding the zone (default: topology.kubernetes.io/zone).")
  String zoneLabel;

  @Option(names = "--node-name", paramLabel = "NODE",
      description = "The Kubernetes node of this pod, to read its zone label (env NODE_NAME).")
  String nodeName;

  @Option(names = "--pod-labels-file", paramLabel = "FILE",
      description = "Downward-API file of the pod's labels (default: /etc/podinfo/labels).")
  Path podLabelsFile;

  @Option(names = "--failure-domain", paramLabel = "N",
      description = "Explicit failure domain, overriding the zone's (default: FNV-1a of the zone).")
  Long failureDomain;

  @Option(names = "--app-socket", paramLabel = "@NAME|PATH",
      description = "Where applications connect (default: @dqlite; a path gets mode 0660).")
  String appSocket;

  @Option(names = "--admin-address", paramLabel = "HOST:PORT",
      description = "Admin HTTP server: /livez /readyz /metrics /cluster /handover "
          + "(default: 0.0.0.0:8081).")
  String adminAddress;

  @Option(names = "--admin-token-file", paramLabel = "FILE",
      description = "Bearer token /cluster and /handover require, re-read on each call (default:"
          + " none, and then they refuse every call).")
  Path adminTokenFile;

  @Option(names = "--admin-auth", paramLabel = "token|none",
      description = "none serves /cluster and /handover to anyone, without --admin-token-file"
          + " (default: token).")
  String adminAuth;

  @Option(names = "--roles-adjustment-frequency", paramLabel = "DURATION",
      description = "How often the leader adjusts roles (default: 30s).")
  Duration rolesAdjustmentFrequency;

  @Option(names = "--network-latency", paramLabel = "DURATION",
      description = "Average one-way latency between nodes (default: libdqlite's).")
  Duration networkLatency;

  @Option(names = "--snapshot-threshold", paramLabel = "N",
      description = "Raft entries between snapshots (default: 384; 0 with --snapshot-trailing 0:"
          + " libdqlite's).")
  Integer snapshotThreshold;

  @Option(names = "--snapshot-trailing", paramLabel = "N",
      description = "Raft entries kept after a snapshot, at least --snapshot-threshold (default:"
          + " 384).")
  Integer snapshotTrailing;

  @Option(names = "--disk-mode", paramLabel = "true|false", arity = "1",
      description = "Keep the database on disk, not in memory; needs libdqlite 1.18 (default:"
          + " false).")
  Boolean diskMode;

  @Option(names = "--auto-recovery", paramLabel = "true|false", arity = "1",
      description = "Let libdqlite delete raft files it finds corrupt at start; needs libdqlite"
          + " 1.18 (default: libdqlite's).")
  Boolean autoRecovery;

  @Option(names = "--snapshot-compression", paramLabel = "true|false", arity = "1",
      description = "Compress raft snapshots; needs libdqlite 1.18 (default: libdqlite's).")
  Boolean snapshotCompression;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate (mutual TLS).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM authorities to trust.")
  Path tlsCa;

  @Option(names = "--handover-timeout", paramLabel = "DURATION",
      description = "Deadline of a handover, on POST /handover and SIGTERM (default: 60s).")
  Duration handoverTimeout;

  @Option(names = "--status-interval", paramLabel = "DURATION",
      description = "How often /readyz and /metrics refresh the cluster view (default: 5s).")
  Duration statusInterval;

  @Option(names = "--log-format", paramLabel = "plain|json",
      description = "Log line format (default: plain).")
  LogFormat logFormat;

  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "Root log level: error, warn, info, debug, trace (default: info).")
  String logLevel;

  @Option(names = "--app-socket-max-request", paramLabel = "BYTES",
      description = "Largest request accepted on the app socket, bytes or with KiB/MiB/GiB "
          + "(default: 64MiB); a larger one is refused and its connection closed.")
  String appSocketMaxRequest;

  @Option(names = "--app-socket-idle-timeout", paramLabel = "DURATION",
      description = "Closes app-socket connections with no request for this long (default: 1h).")
  Duration appSocketIdleTimeout;

  @Option(names = "--app-socket-frame-timeout", paramLabel = "DURATION",
      description = "Closes an app-socket connection whose request does not finish arriving "
          + "within this (default: 30s).")
  Duration appSocketFrameTimeout;

  @Option(names = "--app-socket-write-timeout", paramLabel = "DURATION",
      description = "Closes an app-socket connection that stops reading its answers for this "
          + "long (default: 30s).")
  Duration appSocketWriteTimeout;

  @Option(names = "--app-socket-membership", paramLabel = "refuse|allow",
      description = "Whether add, assign, remove and transfer requests on the app socket reach "
          + "the leader (default: refuse).")
  AppSocket.Membership appSocketMembership;

  /** The app socket's limits from their flags, each defaulting to {@link AppSocket.Limits}'s. */
  private AppSocket.Limits appSocketLimits() {
    AppSocket.Limits d = AppSocket.Limits.defaults();
    return new AppSocket.Limits(
        appSocketMaxRequest == null ? d.maxRequestBytes()
            : Sizes.parse(appSocketMaxRequest, "--app-socket-max-request"),
        appSocketIdleTimeout == null ? d.idleTimeout() : appSocketIdleTimeout,
        appSocketFrameTimeout == null ? d.frameTimeout() : appSocketFrameTimeout,
        appSocketWriteTimeout == null ? d.writeTimeout() : appSocketWriteTimeout,
        appSocketMembership == null ? d.membership() : appSocketMembership);
  }

  /** The options from the flags, validated; bad values are reported as bad flags (exit 2). */
  SidecarOptions options() {
    SidecarOptions.Builder b = SidecarOptions.builder();
    try {
      if (dir != null) {
        b.dir(dir);
      }
      b.address(address != null ? address : SidecarOptions.defaultAddress(env).orElse(null));
      if (join != null) {
        b.join(splitList(join));
      }
      if (voters != null) {
        b.voters(voters);
      }
      if (standBys != null) {
        b.standBys(standBys);
      }
      b.zone(zone).nodeName(nodeName).failureDomain(failureDomain);
      if (zoneLabel != null) {
        b.zoneLabel(zoneLabel);
      }
      if (podLabelsFile != null) {
        b.podLabelsFile(podLabelsFile);
      }
      if (appSocket != null) {
        b.appSocket(appSocket);
      }
      if (adminAddress != null) {
        b.adminAddress(adminAddress);
      }
      b.adminAuth(adminAuth(adminAuth, adminTokenFile));
      if (rolesAdjustmentFrequency != null) {
        b.rolesAdjustmentFrequency(rolesAdjustmentFrequency);
      }
      if (networkLatency != null) {
        b.networkLatency(networkLatency);
      }
      if (snapshotThreshold != null) {
        b.snapshotThreshold(snapshotThreshold);
      }
      if (snapshotTrailing != null) {
        b.snapshotTrailing(snapshotTrailing);
      }
      b.engine(
          new SidecarOptions.Engine(
              diskMode != null && diskMode,
              Optional.ofNullable(autoRecovery),
              Optional.ofNullable(snapshotCompression)));
      if (tlsCert != null || tlsKey != null || tlsCa != null) {
        if (tlsCert == null || tlsKey == null || tlsCa == null) {
          throw new IllegalArgumentException(
              "TLS needs all three of --tls-cert, --tls-key and --tls-ca");
        }
        b.tls(new SidecarOptions.TlsFiles(tlsCert, tlsKey, tlsCa));
      }
      if (handoverTimeout != null) {
        b.handoverTimeout(handoverTimeout);
      }
      if (statusInterval != null) {
        b.statusInterval(statusInterval);
      }
      if (logFormat != null) {
        b.logFormat(logFormat);
      }
      if (logLevel != null) {
        b.logLevel(logLevel);
      }
      b.appSocketLimits(appSocketLimits());
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** {@code --admin-auth} and {@code --admin-token-file} together. */
  static AdminAuth adminAuth(String mode, Path tokenFile) {
    String m = mode == null ? "token" : mode.strip().toLowerCase(java.util.Locale.ROOT);
    return switch (m) {
      case "none" -> {
        if (tokenFile != null) {
          throw new IllegalArgumentException(
              "--admin-auth=none and --admin-token-file exclude each other: drop one");
        }
        yield AdminAuth.none();
      }
      case "token" -> tokenFile == null ? AdminAuth.unconfigured() : AdminAuth.token(tokenFile);
      default -> throw new IllegalArgumentException(
          "--admin-auth " + mode + ": expected token or none");
    };
  }

  static List<String> splitList(String value) {
    return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  @Override
  public Integer call() throws Exception {
    SidecarOptions options = options();
    LogSetup.configure(options.logFormat(), options.logLevel());
    Logger log = LoggerFactory.getLogger(RunCommand.class);
    Sidecar sidecar;
    try {
      sidecar = Sidecar.start(options);
    } catch (Exception e) {
      log.error("cannot start: {}", e.getMessage());
      LogSetup.stop();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    sidecar.shutdown();
                  } finally {
                    stopped.countDown();
                    LogSetup.stop();
                  }
                },
                "dqlite-sidecar-shutdown"));
    stopped.await();
    // The JVM is exiting through the hook; main must not call System.exit now.
    return KEEP_RUNNING;
  }
}
