package io.dqlite.sidecar.app;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.sidecar.node.NodeOptions.SnapshotParams;
import io.dqlite.sidecar.roles.RolesConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Collects the options of an {@link App} and starts it with {@link #build()}. Every default lives
 * here, in the field initialisers, and each setter names it; they are go-dqlite v1.11.9's unless
 * said otherwise.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>Option</th><th>Default</th></tr>
 *   <tr><td>address</td><td>info.yaml's, else first non-loopback IP + {@code :9000}</td></tr>
 *   <tr><td>bindAddress</td><td>the address; for a DNS name under plain TCP, the IPv4 address of
 *   this host it resolves to at start</td></tr>
 *   <tr><td>cluster</td><td>none: bootstrap</td></tr>
 *   <tr><td>diskMode</td><td>false</td></tr>
 *   <tr><td>autoRecovery</td><td>libdqlite's (1.18: on; not a go-dqlite 1.11 option)</td></tr>
 *   <tr><td>snapshotCompression</td><td>libdqlite's (not a go-dqlite 1.11 option)</td></tr>
 *   <tr><td>externalConnection</td><td>none</td></tr>
 *   <tr><td>failureDomain</td><td>0 (not set)</td></tr>
 *   <tr><td>log</td><td>SLF4J, every level</td></tr>
 *   <tr><td>networkLatency</td><td>0 (libdqlite's default)</td></tr>
 *   <tr><td>rolesAdjustmentFrequency</td><td>30 s</td></tr>
 *   <tr><td>snapshot</td><td>libdqlite's defaults</td></tr>
 *   <tr><td>standBys</td><td>3</td></tr>
 *   <tr><td>tls</td><td>none: plain TCP</td></tr>
 *   <tr><td>unixSocket</td><td>a name libdqlite picks</td></tr>
 *   <tr><td>voters</td><td>3</td></tr>
 *   <tr><td>failureDomainRebalance</td><td>true (go-dqlite v1.21.0)</td></tr>
 *   <tr><td>rolesAdjustmentHook</td><td>none (go-dqlite v1.22.0)</td></tr>
 *   <tr><td>fitness</td><td>always fit (not a go-dqlite option)</td></tr>
 * </table>
 */
public final class AppBuilder {

  private final Path dir;
  private String address = null;
  private String bindAddress = null;
  private List<String> cluster = List.of();
  private boolean diskMode = false;
  private Boolean autoRecovery = null;
  private Boolean snapshotCompression = null;
  private ExternalConnection externalConnection = null;
  private long failureDomain = 0;
  private LogFunc log = LogFunc.slf4j();
  private Duration networkLatency = Duration.ZERO;
  private Duration rolesAdjustmentFrequency = Duration.ofSeconds(30);
  private SnapshotParams snapshot = SnapshotParams.DEFAULT;
  private int standBys = RolesConfig.DEFAULT_STANDBYS;
  private TlsSetup tls = null;
  private String unixSocket = "";
  private int voters = RolesConfig.DEFAULT_VOTERS;
  private boolean failureDomainRebalance = true;
  private BiConsumer<NodeInfo, List<NodeInfo>> rolesAdjustmentHook = (leader, members) -> {};
  private FitnessCheck fitness = FitnessCheck.ALWAYS_FIT;

  AppBuilder(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /**
   * The address other nodes and clients reach this node at, {@code host:port}; it must stay the
   * same across restarts, and every node must know this node by exactly this string (leadership is
   * recognised by comparing addresses). Default: the address in info.yaml, or on the first start
   * the first address of the first non-loopback interface with port 9000. Given on a later start it
   * must equal info.yaml's.
   */
  public AppBuilder address(String address) {
    this.address = address;
    return this;
  }

  /**
   * Where the node listens, {@code host:port}, when that is not its address (not a go-dqlite
   * option: go-dqlite binds the address itself, which libdqlite 1.11.1 cannot do for a DNS name).
   * With plain TCP libdqlite binds it, so it must be an IPv4 literal ({@code 0.0.0.0:9001} listens
   * on every interface); with TLS the Java TLS listener binds it. Not used with an external
   * connection. Default: the address; when the address's host is a DNS name (a Kubernetes pod's
   * stable name) and the transport is plain TCP, the name is resolved once at start and the first
   * IPv4 address that is loopback or belongs to this host is bound, with the address's port; start
   * fails, naming the host, when there is none. The address stays the node's identity either way.
   */
  public AppBuilder bindAddress(String bindAddress) {
    this.bindAddress = bindAddress;
    return this;
  }

  /**
   * Addresses of one or more nodes of the cluster to join, for the first start of a new node.
   * Default: none, the node bootstraps a new cluster. Ignored on later starts.
   */
  public AppBuilder cluster(List<String> addresses) {
    this.cluster = List.copyOf(addresses);
    return this;
  }

  /** {@link #cluster(List)} with varargs. */
  public AppBuilder cluster(String... addresses) {
    return cluster(Arrays.asList(addresses));
  }

  /**
   * Keep the database on disk rather than in memory (experimental in dqlite). Default: false.
   * libdqlite 1.11.1 lacks it: starting then fails with a clear error.
   */
  public AppBuilder diskMode(boolean diskMode) {
    this.diskMode = diskMode;
    return this;
  }

  /**
   * Whether libdqlite may delete raft files it finds corrupt when the node starts ({@code
   * dqlite_node_set_auto_recovery}, libdqlite 1.18): the node then starts in more cases, at the
   * cost of possible data loss. Default: null, libdqlite's default (on in 1.18). Setting it on a
   * libdqlite without the call (1.11.1) makes the start fail with a clear error.
   */
  public AppBuilder autoRecovery(Boolean autoRecovery) {
    this.autoRecovery = autoRecovery;
    return this;
  }

  /**
   * Whether raft snapshots are compressed ({@code dqlite_node_set_snapshot_compression}, libdqlite
   * 1.18). Default: null, libdqlite's default. Setting it on a libdqlite without the call (1.11.1)
   * makes the start fail with a clear error.
   */
  public AppBuilder snapshotCompression(Boolean snapshotCompression) {
    this.snapshotCompression = snapshotCompression;
    return this;
  }

  /** Dial and accept node connections through the application. Default: none. */
  public AppBuilder externalConnection(ExternalConnection externalConnection) {
    this.externalConnection = externalConnection;
    return this;
  }

  /**
   * The node's failure domain (e.g. its zone as a number), used to spread voters and stand-bys.
   * Default: 0, not set.
   */
  public AppBuilder failureDomain(long failureDomain) {
    this.failureDomain = failureDomain;
    return this;
  }

  /** Where log lines go. Default: SLF4J, every level (go-dqlite's default prints errors only). */
  public AppBuilder log(LogFunc log) {
    this.log = log;
    return this;
  }

  /** Average one-way network latency, which scales raft's timeouts. Default: libdqlite's. */
  public AppBuilder networkLatency(Duration networkLatency) {
    this.networkLatency = networkLatency;
    return this;
  }

  /** How often the leader checks and adjusts the nodes' roles. Default: 30 s. */
  public AppBuilder rolesAdjustmentFrequency(Duration frequency) {
    this.rolesAdjustmentFrequency = frequency;
    return this;
  }

  /** Raft snapshot threshold and trailing entries. Default: libdqlite's. */
  public AppBuilder snapshot(SnapshotParams snapshot) {
    this.snapshot = snapshot;
    return this;
  }

  /** Target number of stand-bys; the same on every node of a cluster. Default: 3. */
  public AppBuilder standBys(int standBys) {
    this.standBys = standBys;
    return this;
  }

  /** TLS for every connection, mutual. Default: none, plain TCP. */
  public AppBuilder tls(TlsSetup tls) {
    this.tls = tls;
    return this;
  }

  /** {@link #tls(TlsSetup)} from its two halves. */
  public AppBuilder tls(
      io.dqlite.sidecar.tls.TlsConfig listen, io.dqlite.sidecar.tls.TlsConfig dial) {
    return tls(new TlsSetup(listen, dial));
  }

  /**
   * The node's private abstract socket ({@code @name}) behind the TLS or external-connection proxy.
   * Default: empty, a unique name libdqlite picks.
   */
  public AppBuilder unixSocket(String unixSocket) {
    this.unixSocket = unixSocket;
    return this;
  }

  /**
   * Target number of voters, odd and at least 3; the same on every node of a cluster. Default: 3.
   */
  public AppBuilder voters(int voters) {
    this.voters = voters;
    return this;
  }

  /**
   * Use go-dqlite v1.21.0's failure-domain rules: promote a node of a domain without a voter when
   * another domain holds several, and demote excess voters from crowded domains first. Default:
   * true; false gives exactly v1.11.9's role algorithm.
   */
  public AppBuilder failureDomainRebalance(boolean on) {
    this.failureDomainRebalance = on;
    return this;
  }

  /**
   * Called on every node after each roles-adjustment tick, with the leader and the members
   * (go-dqlite v1.22.0). Default: nothing. Runs on the App's loop thread: keep it short.
   */
  public AppBuilder rolesAdjustmentHook(BiConsumer<NodeInfo, List<NodeInfo>> hook) {
    this.rolesAdjustmentHook = hook;
    return this;
  }

  /**
   * Whether this node can do a voter's work now, asked on every tick of the App's loop: while it
   * names a problem the node gives leadership and its voter role away and marks itself so that no
   * leader prefers it (see {@link FitnessCheck}). Default: always fit.
   */
  public AppBuilder fitness(FitnessCheck fitness) {
    this.fitness = fitness;
    return this;
  }

  /**
   * The options, validated.
   *
   * @throws IllegalArgumentException naming the invalid option
   */
  public AppOptions options() {
    RolesConfig roles =
        new RolesConfig(voters, standBys, failureDomainRebalance, failureDomainRebalance);
    return new AppOptions(
        address,
        bindAddress,
        cluster,
        diskMode,
        autoRecovery,
        snapshotCompression,
        externalConnection,
        failureDomain,
        log,
        networkLatency,
        rolesAdjustmentFrequency,
        snapshot,
        standBys,
        tls,
        unixSocket,
        voters,
        roles,
        rolesAdjustmentHook,
        fitness);
  }

  /**
   * Validates the options, then starts the App (go-dqlite's {@code app.New}): see {@link App}.
   *
   * @throws IllegalArgumentException for an invalid option, before anything is written
   * @throws IOException when the node cannot start; whatever was created is undone
   */
  public App build() throws IOException {
    return App.start(dir, options());
  }
}
