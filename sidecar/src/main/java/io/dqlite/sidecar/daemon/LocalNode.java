package io.dqlite.sidecar.daemon;

import io.dqlite.client.Client;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.NodeStore;
import io.dqlite.client.model.DqliteException;
import java.time.Duration;

/**
 * What the daemon needs from the dqlite node it runs: the seam between the daemon (app socket,
 * admin server, metrics) and the App. {@link AppNode} is the real one.
 */
public interface LocalNode extends AutoCloseable {

  /** The raft id. */
  long id();

  /** The stable address other nodes know this node by. */
  String address();

  /** Whether the start-up tasks (join, first role) succeeded: go-dqlite's {@code Ready}. */
  boolean isReady();

  /** The members as last seen, where leaders are searched. */
  NodeStore store();

  /** Dialer (plain or TLS) and timeouts for reaching nodes. */
  ConnectorConfig connectorConfig();

  /** A client connected to the current leader; the caller closes it. */
  Client leader() throws DqliteException;

  /** Passes leadership and role on (go-dqlite's {@code Handover}), within {@code timeout}. */
  void handover(Duration timeout) throws DqliteException, InterruptedException;

  /**
   * The same, giving neither leadership nor this node's role to the nodes in {@code exclude}. By
   * default the exclusion is ignored (a node that cannot honour it).
   */
  default void handover(Duration timeout, java.util.Set<Long> exclude)
      throws DqliteException, InterruptedException {
    handover(timeout);
  }

  /**
   * The engine under the node, for {@code GET /cluster}'s {@code self.engine}: libdqlite's version,
   * the optional calls it exports, the options that use them, and the last raft entry found on disk
   * at start. Null when unknown.
   */
  default io.dqlite.sidecar.api.SidecarView.Engine engine() {
    return null;
  }

  /** Stops the node; idempotent. */
  @Override
  void close();
}
