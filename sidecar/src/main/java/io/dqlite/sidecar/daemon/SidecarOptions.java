package io.dqlite.sidecar.daemon;

import io.dqlite.sidecar.admin.AdminAuth;
import io.dqlite.sidecar.api.PodVariables;
import io.dqlite.sidecar.api.SidecarPorts;
import io.dqlite.sidecar.api.SidecarSetting;
import io.dqlite.sidecar.app.App;
import io.dqlite.sidecar.appsocket.AppSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the sidecar daemon is configured with, validated. Each component is a {@link
 * SidecarSetting} (or a few of them together): its flag, variable, default, parsing and rule are
 * declared there, once, and documented in the README's table, which is built from it.
 *
 * <p>Defaults and rules are the settings' (not restated here):
 *
 * @param dir the data directory (info.yaml, cluster.yaml, raft log)
 * @param address this node's stable address {@code host:port}: given, else the pod's DNS name
 *     ({@link #defaultAddress}), else the address in {@code dir}/info.yaml (a restart); must match
 *     info.yaml's when both exist
 * @param join seeds to join through on the first start: {@code host:port} or {@code
 *     dns:NAME[:port]} (every address NAME resolves to); empty = bootstrap. See {@link JoinPlan}
 * @param voters target number of voters
 * @param standBys target number of stand-bys
 * @param zone this node's zone; empty = from the pod labels file, then the Node's label
 * @param zoneLabel the label holding the zone
 * @param nodeName the Kubernetes node the pod runs on; empty = unknown
 * @param podLabelsFile the downward-API file with the pod's labels (skipped when absent)
 * @param failureDomain explicit failure domain, overriding the zone's; empty = from the zone
 * @param appSocket where applications connect: {@code @name} (abstract) or an absolute path
 * @param adminAddress where the admin HTTP server listens
 * @param adminAuth who may call /cluster and /handover: holders of the token in {@code
 *     --admin-token-file}; by default (no file) nobody; anyone with {@code --admin-auth=none}
 * @param rolesAdjustmentFrequency how often the leader adjusts roles
 * @param networkLatency average one-way latency between nodes; zero = libdqlite's
 * @param snapshotThreshold raft entries before a snapshot; 0 with {@code snapshotTrailing} 0 =
 *     libdqlite's (1024)
 * @param snapshotTrailing raft entries kept after a snapshot, at least {@code snapshotThreshold}
 *     (libdqlite refuses fewer); 0 with {@code snapshotThreshold} 0 = libdqlite's (8192)
 * @param tls certificate, key and CA files for mutual TLS between nodes; empty = plain TCP
 * @param handoverTimeout how long a handover (POST /handover, SIGTERM) may take
 * @param statusInterval how often the sidecar refreshes its view of the cluster for /readyz and
 *     /metrics
 * @param logFormat plain or JSON lines
 * @param logLevel root log level
 * @param appSocketLimits the app socket's request size limit, timeouts and membership policy
 * @param clusterIdentity {@code --cluster-id} and {@code --cluster-exists}; default none: no id,
 *     and bootstrap allowed (go-dqlite's behaviour)
 * @param engine the options that need libdqlite 1.18 (disk mode, auto-recovery, snapshot
 *     compression); default {@link Engine#DEFAULT}, none used
 * @param minFreeDisk free bytes in {@code dir} below which the node hands leadership and its vote
 *     over ({@link FreeSpace}); 0 = never
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
    ClusterIdentity clusterIdentity,
    Engine engine,
    long minFreeDisk) {

  /** The port of the default address. */
  public static final int DEFAULT_PORT = SidecarPorts.RAFT;

  /**
   * Raft entries between snapshots, by default. libdqlite's 1024 + 8192 kept entries let a node
   * grow by ~9,000 raft entries (~15-20 KiB each for a 1 KiB row) before its memory levels off; 384
   * + 384 caps the log at ~770 entries, which keeps a node under 96 MiB in the steady state of the
   * benchmark's write load (docs/benchmarks.md, "Sidecar: app socket and memory"). k8s-dqlite
   * defaults to 512 + 1024.
   */
  public static final int SNAPSHOT_THRESHOLD =
      (Integer) SidecarSetting.SNAPSHOT_THRESHOLD.defaultParsed();

  /** Raft entries kept after a snapshot, by default: see {@link #SNAPSHOT_THRESHOLD}. */
  public static final int SNAPSHOT_TRAILING =
      (Integer) SidecarSetting.SNAPSHOT_TRAILING.defaultParsed();

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

    /** All three files, none of them (plain TCP), or an error naming the flags. */
    static Optional<TlsFiles> of(Path cert, Path key, Path ca) {
      if (cert == null && key == null && ca == null) {
        return Optional.empty();
      }
      if (cert == null || key == null || ca == null) {
        throw new IllegalArgumentException(
            "TLS needs all three of --tls-cert, --tls-key and --tls-ca");
      }
      return Optional.of(new TlsFiles(cert, key, ca));
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
    Objects.requireNonNull(clusterIdentity, "clusterIdentity");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(adminAuth, "adminAuth");
    address = SidecarSetting.ADDRESS.check(addressFor(dir, address));
    SidecarSetting.VOTERS.check(voters);
    SidecarSetting.STANDBYS.check(standBys);
    SidecarSetting.FAILURE_DOMAIN.check(failureDomain.orElse(null));
    SidecarSetting.APP_SOCKET.check(appSocket);
    SidecarSetting.ADMIN_ADDRESS.check(adminAddress);
    SidecarSetting.ROLES_ADJUSTMENT_FREQUENCY.check(rolesAdjustmentFrequency);
    SidecarSetting.NETWORK_LATENCY.check(networkLatency);
    SidecarSetting.HANDOVER_TIMEOUT.check(handoverTimeout);
    SidecarSetting.STATUS_INTERVAL.check(statusInterval);
    SidecarSetting.MIN_FREE_DISK.check(minFreeDisk);
    checkSnapshotParams(snapshotThreshold, snapshotTrailing);
  }

  /** A builder with every default. */
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

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The pod's stable DNS name with port {@value #DEFAULT_PORT}, from the variables a StatefulSet
   * pod gets through the downward API, when all are set.
   */
  public static Optional<String> defaultAddress(Map<String, String> env) {
    return PodVariables.defaultAddress(env);
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
    if (given == null || given.isBlank()) {
      return stored.orElseThrow(
          () ->
              new IllegalArgumentException(
                  "no address: set --address host:port (DQLITE_ADDRESS), or POD_NAME,"
                      + " DQLITE_SERVICE and POD_NAMESPACE for the pod's stable DNS name (a"
                      + " restart needs none: it is read from info.yaml in --dir "
                      + dir
                      + ")"));
    }
    if (stored.isPresent() && !stored.get().equals(given)) {
      throw new IllegalArgumentException(
          "--address "
              + given
              + " does not match the address "
              + stored.get()
              + " in "
              + dir.resolve(App.INFO_FILE)
              + ", written on this node's first start: a node's"
              + " address cannot change (leave --address out, or give "
              + stored.get()
              + ")");
    }
    return given;
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
          "--snapshot-threshold "
              + threshold
              + " --snapshot-trailing "
              + trailing
              + ": the threshold must be at least 1 and the trailing entries at least the"
              + " threshold (both 0: libdqlite's defaults)");
    }
  }

  /**
   * Builds {@link SidecarOptions} from settings, given as text ({@link #set}, as flags and
   * variables give them) or typed; a setting left unset has its {@link SidecarSetting} default.
   */
  public static final class Builder {
    private final Map<SidecarSetting, Object> values = new EnumMap<>(SidecarSetting.class);

    private Builder() {}

    /**
     * Sets {@code setting} from its text.
     *
     * @throws IllegalArgumentException naming the flag when the text does not parse
     */
    public Builder set(SidecarSetting setting, String text) {
      values.put(setting, setting.parse(text));
      return this;
    }

    private Builder put(SidecarSetting setting, Object value) {
      values.put(setting, value);
      return this;
    }

    private <T> T get(SidecarSetting setting, Class<T> type) {
      return type.cast(values.containsKey(setting) ? values.get(setting) : setting.defaultParsed());
    }

    private Optional<String> text(SidecarSetting setting) {
      return Optional.ofNullable(get(setting, String.class)).filter(s -> !s.isBlank());
    }

    public Builder dir(Path v) {
      return put(SidecarSetting.DIR, v);
    }

    public Builder address(String v) {
      return put(SidecarSetting.ADDRESS, v);
    }

    public Builder voters(int v) {
      return put(SidecarSetting.VOTERS, v);
    }

    public Builder failureDomain(Long v) {
      return put(SidecarSetting.FAILURE_DOMAIN, v);
    }

    public Builder appSocket(String v) {
      return put(SidecarSetting.APP_SOCKET, v);
    }

    public Builder handoverTimeout(Duration v) {
      return put(SidecarSetting.HANDOVER_TIMEOUT, v);
    }

    public Builder snapshotThreshold(int v) {
      return put(SidecarSetting.SNAPSHOT_THRESHOLD, v);
    }

    public Builder snapshotTrailing(int v) {
      return put(SidecarSetting.SNAPSHOT_TRAILING, v);
    }

    /**
     * Threshold and trailing entries: a value left unset follows the one given (only a threshold of
     * 2048: 2048 trailing; only 256 trailing: threshold 256), so that setting one of them, as a
     * DqliteCluster's raft spec may, never makes an invalid pair with the other's default.
     */
    private int[] resolvedSnapshot() {
      int threshold = get(SidecarSetting.SNAPSHOT_THRESHOLD, Integer.class);
      int trailing = get(SidecarSetting.SNAPSHOT_TRAILING, Integer.class);
      boolean thresholdSet = values.containsKey(SidecarSetting.SNAPSHOT_THRESHOLD);
      boolean trailingSet = values.containsKey(SidecarSetting.SNAPSHOT_TRAILING);
      if (thresholdSet && !trailingSet) {
        return new int[] {threshold, threshold == 0 ? 0 : Math.max(threshold, SNAPSHOT_TRAILING)};
      }
      if (trailingSet && !thresholdSet) {
        return new int[] {trailing == 0 ? 0 : Math.min(trailing, SNAPSHOT_THRESHOLD), trailing};
      }
      return new int[] {threshold, trailing};
    }

    /** The app socket's limits from their settings. */
    private AppSocket.Limits appSocketLimits() {
      return new AppSocket.Limits(
          get(SidecarSetting.APP_SOCKET_MAX_REQUEST, Long.class),
          get(SidecarSetting.APP_SOCKET_IDLE_TIMEOUT, Duration.class),
          get(SidecarSetting.APP_SOCKET_FRAME_TIMEOUT, Duration.class),
          get(SidecarSetting.APP_SOCKET_WRITE_TIMEOUT, Duration.class),
          AppSocket.Membership.valueOf(upper(SidecarSetting.APP_SOCKET_MEMBERSHIP)));
    }

    private String upper(SidecarSetting choice) {
      return get(choice, String.class).toUpperCase(Locale.ROOT);
    }

    /**
     * The options.
     *
     * @throws IllegalArgumentException naming the flag that is wrong and what it expects
     */
    @SuppressWarnings("unchecked")
    public SidecarOptions build() {
      int[] snapshot = resolvedSnapshot();
      List<String> join = get(SidecarSetting.JOIN, List.class);
      return new SidecarOptions(
          get(SidecarSetting.DIR, Path.class),
          get(SidecarSetting.ADDRESS, String.class),
          join == null ? List.of() : join,
          get(SidecarSetting.VOTERS, Integer.class),
          get(SidecarSetting.STANDBYS, Integer.class),
          text(SidecarSetting.ZONE),
          get(SidecarSetting.ZONE_LABEL, String.class),
          text(SidecarSetting.NODE_NAME),
          get(SidecarSetting.POD_LABELS_FILE, Path.class),
          Optional.ofNullable(get(SidecarSetting.FAILURE_DOMAIN, Long.class)),
          get(SidecarSetting.APP_SOCKET, String.class),
          get(SidecarSetting.ADMIN_ADDRESS, String.class),
          AdminAuth.of(
              get(SidecarSetting.ADMIN_AUTH, String.class),
              get(SidecarSetting.ADMIN_TOKEN_FILE, Path.class)),
          get(SidecarSetting.ROLES_ADJUSTMENT_FREQUENCY, Duration.class),
          get(SidecarSetting.NETWORK_LATENCY, Duration.class),
          snapshot[0],
          snapshot[1],
          TlsFiles.of(
              get(SidecarSetting.TLS_CERT, Path.class),
              get(SidecarSetting.TLS_KEY, Path.class),
              get(SidecarSetting.TLS_CA, Path.class)),
          get(SidecarSetting.HANDOVER_TIMEOUT, Duration.class),
          get(SidecarSetting.STATUS_INTERVAL, Duration.class),
          LogFormat.valueOf(upper(SidecarSetting.LOG_FORMAT)),
          get(SidecarSetting.LOG_LEVEL, String.class),
          appSocketLimits(),
          new ClusterIdentity(
              text(SidecarSetting.CLUSTER_ID).map(String::strip).filter(v -> !v.isEmpty()),
              !"true".equals(get(SidecarSetting.CLUSTER_EXISTS, String.class))),
          new Engine(
              "true".equals(get(SidecarSetting.DISK_MODE, String.class)),
              text(SidecarSetting.AUTO_RECOVERY).map("true"::equals),
              text(SidecarSetting.SNAPSHOT_COMPRESSION).map("true"::equals)),
          get(SidecarSetting.MIN_FREE_DISK, Long.class));
    }
  }
}
