package io.dqlite.sidecar.node;

import java.io.IOException;
import java.time.Duration;

/**
 * How libdqlite reaches another node for raft traffic: the Java side of {@code
 * dqlite_node_set_connect_func}. Implementations return a connected socket fd, e.g. from {@link
 * NativeSockets#connect}, or one end of {@link NativeSockets#socketPair()} with a proxy on the
 * other.
 *
 * <p>Called on a Java worker thread while one of libuv's thread-pool threads waits for it; the wait
 * is bounded (5 s, as in go-dqlite), after which libdqlite is told the node is unreachable and an
 * fd returned late is closed. Keep within {@code timeout}.
 */
@FunctionalInterface
public interface NodeConnector {

  /** The default: go-dqlite's dial, with {@link NativeSockets#connect}. */
  NodeConnector DEFAULT = NativeSockets::connect;

  /**
   * Connects to the node at {@code address} (as the raft configuration stores it).
   *
   * @return a connected, blocking stream socket fd, whose ownership passes to libdqlite
   * @throws IOException when the node cannot be reached; libdqlite retries later
   */
  int connect(String address, Duration timeout) throws IOException;
}
