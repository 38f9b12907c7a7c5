package io.dqlite.sidecar.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to create a {@link DqliteNode}. As in go-dqlite's {@code dqlite.New} (v1.11), an option at
 * its zero value is not passed to libdqlite at all, so libdqlite's own default applies.
 *
 * @param id the raft id, unsigned 64 bits; never 0 ({@link DqliteNode#BOOTSTRAP_ID} for the first
 *     node of a cluster, {@link DqliteLibrary#generateNodeId} for the others)
 * @param address the address other nodes and clients use for this node
 * @param dataDir where raft's log and snapshots live; created if missing
 * @param bindAddress where libdqlite listens: {@code host:port}, {@code @name} (abstract unix
 *     socket) or {@code @} (an abstract name libdqlite picks); null = {@code address}
 * @param connector how libdqlite reaches other nodes; null = libdqlite's built-in dialer, which in
 *     1.11.1 understands IPv4 {@code a.b.c.d:port} only
 * @param failureDomain tag reported by the describe request; 0 = not set
 * @param networkLatency average one-way latency, which scales raft's heartbeat and election
 *     timeouts; {@link Duration#ZERO} = libdqlite's default
 * @param snapshot when to snapshot and how many entries to keep; {@link SnapshotParams#DEFAULT} =
 *     libdqlite's defaults
 * @param diskMode keep the database on disk rather than in memory; libdqlite 1.11.1 cannot, and
 *     {@link DqliteNode#create} fails with {@link UnsupportedFeatureException} when it is asked to
 * @param autoRecovery whether libdqlite may delete raft files it finds corrupt at start; null =
 *     libdqlite's default (on in 1.18), not called. Set on a library without the call (1.11.1),
 *     create fails with {@link UnsupportedFeatureException}
 * @param snapshotCompression whether raft snapshots are compressed; null = libdqlite's default, not
 *     called; as {@code autoRecovery} on a library without the call
 */
public record NodeOptions(
    long id,
    String address,
    Path dataDir,
    String bindAddress,
    NodeConnector connector,
    long failureDomain,
    Duration networkLatency,
    SnapshotParams snapshot,
    boolean diskMode,
    Boolean autoRecovery,
    Boolean snapshotCompression) {

  public NodeOptions {
    if (id == 0) {
      throw new IllegalArgumentException(
          "node id 0 is not a valid raft id: use DqliteNode.BOOTSTRAP_ID for the first node"
              + " or DqliteLibrary.generateNodeId(address) for a joiner");
    }
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(networkLatency, "networkLatency");
    Objects.requireNonNull(snapshot, "snapshot");
    if (address.isEmpty()) {
      throw new IllegalArgumentException("node " + Long.toUnsignedString(id) + ": empty address");
    }
    if (networkLatency.isNegative()) {
      throw new IllegalArgumentException("negative network latency " + networkLatency);
    }
  }

  /** A builder with every option at its default. */
  public static Builder builder(long id, String address, Path dataDir) {
    return new Builder(id, address, dataDir);
  }

  /** Snapshot parameters; both 0 means libdqlite's defaults. Unsigned 32-bit values in C. */
  public record SnapshotParams(int threshold, int trailing) {
    public static final SnapshotParams DEFAULT = new SnapshotParams(0, 0);

    boolean isDefault() {
      return threshold == 0 && trailing == 0;
    }
  }

  /** Builds {@link NodeOptions}; each setter documents its default. */
  public static final class Builder {
    private final long id;
    private final String address;
    private final Path dataDir;
    private String bindAddress;
    private NodeConnector connector;
    private long failureDomain;
    private Duration networkLatency = Duration.ZERO;
    private SnapshotParams snapshot = SnapshotParams.DEFAULT;
    private boolean diskMode;
    private Boolean autoRecovery;
    private Boolean snapshotCompression;

    private Builder(long id, String address, Path dataDir) {
      this.id = id;
      this.address = address;
      this.dataDir = dataDir;
    }

    /** Default: null, listen on the node's address. */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = bindAddress;
      return this;
    }

    /** Default: null, libdqlite's built-in IPv4 dialer. */
    public Builder connector(NodeConnector connector) {
      this.connector = connector;
      return this;
    }

    /** Default: 0, not set. */
    public Builder failureDomain(long failureDomain) {
      this.failureDomain = failureDomain;
      return this;
    }

    /** Default: zero, libdqlite's default. */
    public Builder networkLatency(Duration networkLatency) {
      this.networkLatency = networkLatency;
      return this;
    }

    /** Default: {@link SnapshotParams#DEFAULT}, libdqlite's defaults. */
    public Builder snapshot(SnapshotParams snapshot) {
      this.snapshot = snapshot;
      return this;
    }

    /** Default: false. */
    public Builder diskMode(boolean diskMode) {
      this.diskMode = diskMode;
      return this;
    }

    /** Default: null, libdqlite's default (not called). */
    public Builder autoRecovery(Boolean autoRecovery) {
      this.autoRecovery = autoRecovery;
      return this;
    }

    /** Default: null, libdqlite's default (not called). */
    public Builder snapshotCompression(Boolean snapshotCompression) {
      this.snapshotCompression = snapshotCompression;
      return this;
    }

    public NodeOptions build() {
      return new NodeOptions(
          id,
          address,
          dataDir,
          bindAddress,
          connector,
          failureDomain,
          networkLatency,
          snapshot,
          diskMode,
          autoRecovery,
          snapshotCompression);
    }
  }
}
