package io.dqlite.sidecar.daemon;

import io.dqlite.sidecar.admin.AdminAuth;
import io.dqlite.sidecar.app.App;
import io.dqlite.sidecar.appsocket.AppSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the sidecar daemon is configured with, validated. Every default lives in {@link
 * #builder()}'s field initialisers and is documented here and in {@code docs/sidecar.md}.
 *
 * @param dir the data directory (info.yaml, cluster.yaml, raft log); default {@code
 *     /var/lib/dqlite}
 * @param address this node's stable address {@code host:port}; default {@code
 *     $POD_NAME.$DQLITE_SERVICE.$POD_NAMESPACE.svc.$DQLITE_CLUSTER_DOMAIN:9001} when those
 *     variables are set, else the address in {@code dir}/info.yaml (a restart), otherwise
 *     required; must match info.yaml's when both exist
 * @param join seeds to join through on the first start: {@code host:port} or {@code
 *     dns:NAME[:port]} (every address NAME resolves to); empty = bootstrap. See {@link JoinPlan}
 * @param voters target number of voters (odd, at least 3); default 3
 * @param standBys target number of stand-bys; default 3
 * @param zone this node's zone; empty = from the pod labels file, then the Node's label
 * @param zoneLabel the label holding the zone; default {@code topology.kubernetes.io/zone}
 * @param nodeName the Kubernetes node the pod runs on (env {@code NODE_NAME}); empty = unknown
 * @param podLabelsFile the downward-API file with the pod's labels; default {@code
 *     /etc/podinfo/labels} (skipped when absent)
 * @param failureDomain explicit failure domain, overriding the zone's; empty = from the zone
 * @param appSocket where applications connect: {@code @name} (abstract, default {@code @dqlite})
 *     or an absolute path (a socket file with mode 0660)
 * @param adminAddress where the admin HTTP server listens; default {@code 0.0.0.0:8081}
 * @param adminAuth who may call /cluster and /handover: holders of the token in {@code
 *     --admin-token-file}; by default (no file) nobody; anyone with {@code --admin-auth=none}
 * @param rolesAdjustmentFrequency how often the leader adjusts roles; default 30 s
 * @param networkLatency average one-way latency between nodes; zero (default) = libdqlite's
 * @param snapshotThreshold raft entries before a snapshot; default {@value #SNAPSHOT_THRESHOLD};
 *     0 with {@code snapshotTrailing} 0 = libdqlite's (1024)
 * @param snapshotTrailing raft entries kept after a snapshot; default {@value #SNAPSHOT_TRAILING};
 *     at least {@code snapshotThreshold} (libdqlite refuses fewer); 0 with {@code snapshotThreshold}
 *     0 = libdqlite's (8192)
 * @param tls certificate, key and CA files for mutual TLS between nodes; empty = plain TCP
 * @param handoverTimeout how long a handover (POST /handover, SIGTERM) may take; default 60 s
 * @param statusInterval how often the sidecar refreshes its view of the cluster for /readyz and
 *     /metrics; default 5 s
 * @param logFormat {@code plain} (default) or {@code json}
 * @param logLevel root log level; default {@code info}
 * @param appSocketLimits the app socket's request size limit, timeouts and membership policy;
 *     defaults in {@link AppSocket.Limits#defaults()}
 * @param engine the options that need libdqlite 1.18 (disk mode, auto-recovery, snapshot
 *     compression); default {@link Engine#DEFAULT}, none used
 */
public record SidecarOptions(
    Path dir,
    String address,
    List<String> join,
    int voters,
    int standBys,
    Optional<String> zone,
    String zoneLabel,
    Optional<String> nodeName,
    Path podLabelsFile,
    Optional<Long> failureDomain,
    String appSocket,
    String adminAddress,
    AdminAuth adminAuth,
    Duration rolesAdjustmentFrequency,
    Duration networkLatency,
    int snapshotThreshold,
    int snapshotTrailing,
    Optional<TlsFiles> tls,
    Duration handoverTimeout,
    Duration statusInterval,
    LogFormat logFormat,
    String logLevel,
    AppSocket.Limits appSocketLimits,
    Engine engine) {

  /** The port of the default address. */
  public static final int DEFAULT_PORT = 9001;

  /**
   * Raft entries between snapshots, by default. libdqlite's 1024 + 8192 kept entries let a node
   * grow by ~9,000 raft entries (~15-20 KiB each for a 1 KiB row) before its memory levels off;
   * 384 + 384 caps the log at ~770 entries, which keeps a node under 96 MiB in the steady state of
   * the benchmark's write load (docs/benchmarks.md, "Sidecar: app socket and memory"). k8s-dqlite
   * defaults to 512 + 1024.
   */
  public static final int SNAPSHOT_THRESHOLD = 384;

  /** Raft entries kept after a snapshot, by default: see {@link #SNAPSHOT_THRESHOLD}. */
  public static final int SNAPSHOT_TRAILING = 384;

  /**
   * {@code --disk-mode}, {@code --auto-recovery} and {@code --snapshot-compression}: options only
   * libdqlite 1.18 has; on 1.11.1 the node fails to start, naming the missing call.
   *
   * @param diskMode keep the database on disk; default false
   * @param autoRecovery empty = libdqlite's default (1.18: on)
   * @param snapshotCompression empty = libdqlite's default
   */
  public record Engine(
      boolean diskMode, Optional<Boolean> autoRecovery, Optional<Boolean> snapshotCompression) {
    public static final Engine DEFAULT = new Engine(false, Optional.empty(), Optional.empty());

    public Engine {
      Objects.requireNonNull(autoRecovery, "autoRecovery");
      Objects.requireNonNull(snapshotCompression, "snapshotCompression");
    }
  }

  /** Log output formats. */
  public enum LogFormat {
    PLAIN,
    JSON
  }

  /** The three PEM files of {@code --tls-cert}, {@code --tls-key}, {@code --tls-ca}. */
  public record TlsFiles(Path cert, Path key, Path ca) {
    public TlsFiles {
      Objects.requireNonNull(cert, "cert");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(ca, "ca");
    }
  }

  public SidecarOptions {
    Objects.requireNonNull(dir, "dir");
    join = List.copyOf(join);
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(failureDomain, "failureDomain");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(appSocketLimits, "appSocketLimits");
    Objects.requireNonNull(engine, "engine");
    address = addressFor(dir, address);
    requireHostPort(address, "--address");
    if (voters < 3 || voters % 2 == 0) {
      throw new IllegalArgumentException(
          "--voters " + voters + ": must be an odd number of at least 3");
    }
    if (standBys < 0) {
      throw new IllegalArgumentException("--standbys " + standBys + ": must be 0 or more");
    }
    if (failureDomain.isPresent() && failureDomain.get() < 0) {
      throw new IllegalArgumentException(
          "--failure-domain " + failureDomain.get() + ": must be 0 or more");
    }
    if (!appSocket.startsWith("@") && !appSocket.startsWith("/")) {
      throw new IllegalArgumentException(
          "--app-socket " + appSocket + ": give @name (abstract socket) or an absolute path");
    }
    if (appSocket.equals("@")) {
      throw new IllegalArgumentException("--app-socket @: the abstract socket needs a name");
    }
    requireHostPort(adminAddress, "--admin-address");
    Objects.requireNonNull(adminAuth, "adminAuth");
    positive(rolesAdjustmentFrequency, "--roles-adjustment-frequency");
    positive(handoverTimeout, "--handover-timeout");
    positive(statusInterval, "--status-interval");
    if (networkLatency.isNegative()) {
      throw new IllegalArgumentException("--network-latency must not be negative");
    }
    checkSnapshotParams(snapshotThreshold, snapshotTrailing);
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The pod's stable DNS name with port {@value #DEFAULT_PORT}, from the variables a StatefulSet
   * pod gets through the downward API, when all are set.
   */
  public static Optional<String> defaultAddress(Map<String, String> env) {
    String pod = env.get("POD_NAME");
    String service = env.get("DQLITE_SERVICE");
    String namespace = env.get("POD_NAMESPACE");
    if (blank(pod) || blank(service) || blank(namespace)) {
      return Optional.empty();
    }
    String domain = env.getOrDefault("DQLITE_CLUSTER_DOMAIN", "cluster.local");
    return Optional.of(
        pod + "." + service + "." + namespace + ".svc." + (blank(domain) ? "cluster.local" : domain)
            + ":" + DEFAULT_PORT);
  }

  /**
   * The node's address: {@code given}, or on a restart without one the address info.yaml in {@code
   * dir} holds (written on the first start, as go-dqlite's {@code app.New} reads it back). A given
   * address that differs from the stored one is refused: a node's address cannot change.
   */
  static String addressFor(Path dir, String given) {
    Optional<String> stored;
    try {
      stored = App.storedAddress(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException("--dir " + dir + ": " + e.getMessage(), e);
    }
    if (blank(given)) {
      return stored.orElseThrow(
          () ->
              new IllegalArgumentException(
                  "no address: set --address host:port (DQLITE_ADDRESS), or POD_NAME,"
                      + " DQLITE_SERVICE and POD_NAMESPACE for the pod's stable DNS name (a"
                      + " restart needs none: it is read from info.yaml in --dir " + dir + ")"));
    }
    if (stored.isPresent() && !stored.get().equals(given)) {
      throw new IllegalArgumentException(
          "--address " + given + " does not match the address " + stored.get() + " in "
              + dir.resolve(App.INFO_FILE) + ", written on this node's first start: a node's"
              + " address cannot change (leave --address out, or give " + stored.get() + ")");
    }
    return given;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /**
   * Both 0 (libdqlite's defaults) or a threshold of at least 1 with at least as many trailing
   * entries: libdqlite refuses fewer, and a threshold of 0 would snapshot after every entry.
   */
  static void checkSnapshotParams(int threshold, int trailing) {
    if (threshold == 0 && trailing == 0) {
      return;
    }
    if (threshold < 1 || trailing < threshold) {
      throw new IllegalArgumentException(
          "--snapshot-threshold " + threshold + " --snapshot-trailing " + trailing
              + ": the threshold must be at least 1 and the trailing entries at least the"
              + " threshold (both 0: libdqlite's defaults)");
    }
  }

  private static void positive(Duration d, String flag) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(flag + " must be a positive duration, got " + d);
    }
  }

  static void requireHostPort(String value, String flag) {
    int colon = value == null ? -1 : value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(flag + " " + value + ": expected host:port");
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " " + value + ": the port must be 1 to 65535");
    }
  }

  /** Builds {@link SidecarOptions}; unset values keep the defaults below. */
  public static final class Builder {
    private Path dir = Path.of("/var/lib/dqlite");
    private String address;
    private List<String> join = List.of();
    private int voters = 3;
    private int standBys = 3;
    private Optional<String> zone = Optional.empty();
    private String zoneLabel = "topology.kubernetes.io/zone";
    private Optional<String> nodeName = Optional.empty();
    private Path podLabelsFile = Path.of("/etc/podinfo/labels");
    private Optional<Long> failureDomain = Optional.empty();
    private String appSocket = "@dqlite";
    private String adminAddress = "0.0.0.0:8081";
    private AdminAuth adminAuth = AdminAuth.unconfigured();
    private Duration rolesAdjustmentFrequency = Duration.ofSeconds(30);
    private Duration networkLatency = Duration.ZERO;
    // Null until set: the other value's default then follows it (see resolvedSnapshot).
    private Integer snapshotThreshold;
    private Integer snapshotTrailing;
    private Optional<TlsFiles> tls = Optional.empty();
    private Duration handoverTimeout = Duration.ofSeconds(60);
    private Duration statusInterval = Duration.ofSeconds(5);
    private LogFormat logFormat = LogFormat.PLAIN;
    private String logLevel = "info";
    private AppSocket.Limits appSocketLimits = AppSocket.Limits.defaults();
    private Engine engine = Engine.DEFAULT;

    private Builder() {}

    public Builder appSocketLimits(AppSocket.Limits v) {
      appSocketLimits = v;
      return this;
    }

    public Builder engine(Engine v) {
      engine = v;
      return this;
    }

    public Builder dir(Path v) {
      dir = v;
      return this;
    }

    public Builder address(String v) {
      address = v;
      return this;
    }

    public Builder join(List<String> v) {
      join = v;
      return this;
    }

    public Builder voters(int v) {
      voters = v;
      return this;
    }

    public Builder standBys(int v) {
      standBys = v;
      return this;
    }

    public Builder zone(String v) {
      zone = Optional.ofNullable(v).filter(s -> !s.isBlank());
      return this;
    }

    public Builder zoneLabel(String v) {
      zoneLabel = v;
      return this;
    }

    public Builder nodeName(String v) {
      nodeName = Optional.ofNullable(v).filter(s -> !s.isBlank());
      return this;
    }

    public Builder podLabelsFile(Path v) {
      podLabelsFile = v;
      return this;
    }

    public Builder failureDomain(Long v) {
      failureDomain = Optional.ofNullable(v);
      return this;
    }

    public Builder appSocket(String v) {
      appSocket = v;
      return this;
    }

    public Builder adminAddress(String v) {
      adminAddress = v;
      return this;
    }

    public Builder adminAuth(AdminAuth v) {
      adminAuth = v;
      return this;
    }

    public Builder rolesAdjustmentFrequency(Duration v) {
      rolesAdjustmentFrequency = v;
      return this;
    }

    public Builder networkLatency(Duration v) {
      networkLatency = v;
      return this;
    }

    /**
     * Threshold and trailing entries: a value left unset follows the one given (only a threshold
     * of 2048: 2048 trailing; only 256 trailing: threshold 256), so that setting one of them, as a
     * DqliteCluster's raft spec may, never makes an invalid pair with the other's default.
     */
    private int[] resolvedSnapshot() {
      if (snapshotThreshold == null && snapshotTrailing == null) {
        return new int[] {SNAPSHOT_THRESHOLD, SNAPSHOT_TRAILING};
      }
      if (snapshotTrailing == null) {
        return new int[] {
          snapshotThreshold,
          snapshotThreshold == 0 ? 0 : Math.max(snapshotThreshold, SNAPSHOT_TRAILING)
        };
      }
      if (snapshotThreshold == null) {
        return new int[] {
          snapshotTrailing == 0 ? 0 : Math.min(snapshotTrailing, SNAPSHOT_THRESHOLD),
          snapshotTrailing
        };
      }
      return new int[] {snapshotThreshold, snapshotTrailing};
    }

    public Builder snapshotThreshold(int v) {
      snapshotThreshold = v;
      return this;
    }

    public Builder snapshotTrailing(int v) {
      snapshotTrailing = v;
      return this;
    }

    public Builder tls(TlsFiles v) {
      tls = Optional.ofNullable(v);
      return this;
    }

    public Builder handoverTimeout(Duration v) {
      handoverTimeout = v;
      return this;
    }

    public Builder statusInterval(Duration v) {
      statusInterval = v;
      return this;
    }

    public Builder logFormat(LogFormat v) {
      logFormat = v;
      return this;
    }

    public Builder logLevel(String v) {
      logLevel = v;
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException naming the flag that is wrong and what it expects
     */
    public SidecarOptions build() {
      int[] snapshot = resolvedSnapshot();
      return new SidecarOptions(
          dir,
          address,
          join,
          voters,
          standBys,
          zone,
          zoneLabel,
          nodeName,
          podLabelsFile,
          failureDomain,
          appSocket,
          adminAddress,
          adminAuth,
          rolesAdjustmentFrequency,
          networkLatency,
          snapshot[0],
          snapshot[1],
          tls,
          handoverTimeout,
          statusInterval,
          logFormat,
          logLevel,
          appSocketLimits,
          engine);
    }
  }
}
