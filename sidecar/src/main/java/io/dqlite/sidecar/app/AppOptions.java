package io.dqlite.sidecar.app;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.net.DqliteAddress;
import io.dqlite.sidecar.node.NodeOptions.SnapshotParams;
import io.dqlite.sidecar.roles.RolesConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Every option of the {@link App}, validated: go-dqlite's {@code app.Option}s (app/options.go,
 * v1.11.9) plus two later ones. Build it with {@link App#builder}, where every default is set and
 * documented ({@link AppBuilder}). Unlike go-dqlite, everything is checked here, before the data
 * directory is touched.
 *
 * @param address the node's address, {@code host:port}; null = first start: the first non-loopback
 *     interface address with port 9000, later: the address in info.yaml
 * @param bindAddress where the node listens, when that differs from its address: with plain TCP the
 *     {@code a.b.c.d:port} libdqlite binds, with TLS the address of the TLS listener; null = the
 *     address itself, or, when its host is a DNS name and the transport is plain TCP, the IPv4
 *     address of this host that the name resolves to at start
 * @param cluster addresses of existing nodes to join on the first start; empty = bootstrap a new
 *     cluster. Ignored once the node has started once (cluster.yaml exists)
 * @param diskMode keep the database on disk (libdqlite 1.11.1 cannot: start fails clearly)
 * @param autoRecovery whether libdqlite may delete raft files it finds corrupt at start; null =
 *     libdqlite's default (1.18: on); set on 1.11.1, start fails clearly
 * @param snapshotCompression whether raft snapshots are compressed; null = libdqlite's default; set
 *     on 1.11.1, start fails clearly
 * @param externalConnection dial and accept connections through the application; null = none
 * @param failureDomain the node's failure domain; 0 = not set
 * @param log where log lines go
 * @param networkLatency average one-way network latency; zero = libdqlite's default
 * @param rolesAdjustmentFrequency how often the leader checks and adjusts roles
 * @param snapshot raft snapshot parameters; {@link SnapshotParams#DEFAULT} = libdqlite's
 * @param standBys target number of stand-bys, 0 or more
 * @param tls TLS for all traffic; null = plain TCP
 * @param unixSocket the node's private socket with TLS or an external connection: {@code @name}
 *     (abstract), or empty = a name libdqlite picks
 * @param voters target number of voters, odd and at least 3
 * @param rolesConfig the role algorithm, from {@code voters}, {@code standBys} and the failure
 *     domain switch
 * @param rolesAdjustmentHook called on every node after each adjustment tick with the leader and
 *     the members (go-dqlite v1.22.0's {@code WithRolesAdjustmentHook})
 * @param fitness whether this node can do a voter's work now (not a go-dqlite option)
 */
public record AppOptions(
    String address,
    String bindAddress,
    List<String> cluster,
    boolean diskMode,
    Boolean autoRecovery,
    Boolean snapshotCompression,
    ExternalConnection externalConnection,
    long failureDomain,
    LogFunc log,
    Duration networkLatency,
    Duration rolesAdjustmentFrequency,
    SnapshotParams snapshot,
    int standBys,
    TlsSetup tls,
    String unixSocket,
    int voters,
    RolesConfig rolesConfig,
    BiConsumer<NodeInfo, List<NodeInfo>> rolesAdjustmentHook,
    FitnessCheck fitness) {

  public AppOptions {
    cluster = List.copyOf(Objects.requireNonNull(cluster, "cluster"));
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(networkLatency, "networkLatency");
    Objects.requireNonNull(rolesAdjustmentFrequency, "rolesAdjustmentFrequency");
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(unixSocket, "unixSocket");
    Objects.requireNonNull(rolesConfig, "rolesConfig");
    Objects.requireNonNull(rolesAdjustmentHook, "rolesAdjustmentHook");
    Objects.requireNonNull(fitness, "fitness");
    // RolesConfig checked voters and stand-bys (RolesConfig.VOTERS_RULE); they must be its.
    if (rolesConfig.voters() != voters || rolesConfig.standBys() != standBys) {
      throw new IllegalArgumentException(
          "roles config "
              + rolesConfig
              + " disagrees with voters "
              + voters
              + " and stand-bys "
              + standBys);
    }
    if (rolesAdjustmentFrequency.isNegative() || rolesAdjustmentFrequency.isZero()) {
      throw new IllegalArgumentException(
          "invalid roles adjustment frequency " + rolesAdjustmentFrequency + ": must be positive");
    }
    if (networkLatency.isNegative()) {
      throw new IllegalArgumentException("invalid network latency " + networkLatency);
    }
    if (address != null) {
      requireTcp(address, "address");
    }
    if (bindAddress != null) {
      requireTcp(bindAddress, "bind address");
      if (externalConnection != null) {
        throw new IllegalArgumentException(
            "bind address "
                + bindAddress
                + " is not used with an external connection: the"
                + " application accepts the connections itself");
      }
      DqliteAddress.Tcp bind = (DqliteAddress.Tcp) DqliteAddress.parse(bindAddress);
      boolean ipv4 = BindAddress.isIpLiteral(bind.host()) && !bind.host().contains(":");
      if (tls == null && !ipv4) {
        throw new IllegalArgumentException(
            "invalid bind address "
                + bindAddress
                + ": libdqlite 1.11.1 binds IPv4 literals only,"
                + " e.g. 10.0.0.5:9001 or 0.0.0.0:9001");
      }
    }
    for (String seed : cluster) {
      try {
        DqliteAddress.parse(seed);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid cluster address: " + e.getMessage(), e);
      }
    }
    if (tls != null && externalConnection != null) {
      throw new IllegalArgumentException(
          "TLS and an external connection exclude each other: with an external connection the"
              + " application secures its own connections");
    }
    if (!unixSocket.isEmpty()) {
      if (tls == null && externalConnection == null) {
        throw new IllegalArgumentException(
            "unix socket "
                + unixSocket
                + " is used only with TLS or an external connection;"
                + " without them libdqlite listens on the node's address itself");
      }
      if (!unixSocket.startsWith("@") || unixSocket.length() == 1) {
        throw new IllegalArgumentException(
            "invalid unix socket "
                + unixSocket
                + ": libdqlite 1.11.1 binds abstract sockets only;"
                + " give @name, or nothing for a name libdqlite picks");
      }
    }
  }

  private static void requireTcp(String address, String what) {
    DqliteAddress parsed;
    try {
      parsed = DqliteAddress.parse(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid " + what + ": " + e.getMessage(), e);
    }
    if (!(parsed instanceof DqliteAddress.Tcp)) {
      throw new IllegalArgumentException(
          "invalid " + what + " " + address + ": the node's address must be host:port");
    }
  }
}
