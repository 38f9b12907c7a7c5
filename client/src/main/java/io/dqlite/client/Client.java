package io.dqlite.client;

import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.leader.NoLeaderException;
import io.dqlite.client.leader.NodeStore;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.DumpFile;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeMetadata;
import io.dqlite.client.model.NodeRole;
import io.dqlite.client.protocol.ProtocolConnection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Administers a dqlite cluster through one node, like go-dqlite's {@code client.Client}: who leads,
 * the configuration, membership and roles, leadership transfer, node metadata and dumps.
 *
 * <p>Membership, role and transfer requests must reach the leader: use {@link #findLeader}. The
 * client holds one connection; it is thread-safe, one request at a time.
 */
public final class Client implements AutoCloseable {

  private final ProtocolConnection connection;

  private Client(ProtocolConnection connection) {
    this.connection = connection;
  }

  /**
   * Connects to the node at {@code address} with default settings, without looking for the leader
   * (go-dqlite's {@code client.New}).
   */
  public static Client connect(String address) throws DqliteException {
    return connect(address, ConnectorConfig.defaults());
  }

  /**
   * Connects to the node at {@code address} with the dialer and timeouts of {@code config}, without
   * looking for the leader and without registering as a client.
   */
  public static Client connect(String address, ConnectorConfig config) throws DqliteException {
    return new Client(
        ProtocolConnection.connect(
            config.dialer(),
            address,
            config.dialTimeout(),
            config.requestTimeout(),
            config.maxFrameSize()));
  }

  /** Connects to the current leader found through {@code store} (go-dqlite's FindLeader). */
  public static Client findLeader(NodeStore store, ConnectorConfig config)
      throws NoLeaderException {
    return new Client(new LeaderConnector(store, config).connect());
  }

  /** Wraps an open connection; the client takes ownership of it. */
  public static Client of(ProtocolConnection connection) {
    return new Client(Objects.requireNonNull(connection, "connection"));
  }

  /** The address of the node this client talks to. */
  public String address() {
    return connection.address();
  }

  /** The leader as the node knows it; empty when it knows none (e.g. a non-voter). */
  public Optional<NodeInfo> leader() throws DqliteException {
    return connection.leader();
  }

  /** Every member of the configuration with its role. */
  public List<NodeInfo> cluster() throws DqliteException {
    return connection.cluster();
  }

  /**
   * Adds a node, then gives it {@code node.role()} unless that is spare (added nodes start as
   * spares). A voter must be online and catch up before it can vote.
   */
  public void add(NodeInfo node) throws DqliteException {
    connection.add(node.id(), node.address());
    if (node.role() != NodeRole.SPARE) {
      connection.assign(node.id(), node.role());
    }
  }

  /** Gives node {@code id} a role; fails if the node is unknown or has that role already. */
  public void assign(long id, NodeRole role) throws DqliteException {
    connection.assign(id, role);
  }

  /** Removes node {@code id} from the configuration. */
  public void remove(long id) throws DqliteException {
    connection.remove(id);
  }

  /** Transfers leadership to voter {@code id}. */
  public void transfer(long id) throws DqliteException {
    connection.transfer(id);
  }

  /** The connected node's failure domain and weight. */
  public NodeMetadata describe() throws DqliteException {
    return connection.describe();
  }

  /** Sets the connected node's weight. */
  public void weight(long weight) throws DqliteException {
    connection.weight(weight);
  }

  /** The database and WAL files of {@code database} as the connected node holds them. */
  public List<DumpFile> dump(String database) throws DqliteException {
    return connection.dump(database);
  }

  /** Closes the connection; idempotent. */
  @Override
  public void close() {
    connection.close();
  }
}
