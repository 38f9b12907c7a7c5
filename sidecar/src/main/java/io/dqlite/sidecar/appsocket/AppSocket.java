package io.dqlite.sidecar.appsocket;

import io.dqlite.client.ConnectorConfig;
import io.dqlite.client.NodeStore;
import io.dqlite.client.net.Transport;
import io.dqlite.sidecar.metrics.AppSocketMeters;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app socket: a unix socket where applications in the pod speak the dqlite wire protocol as if
 * to the leader, wherever the leader is.
 *
 * <ul>
 *   <li><b>Handshake</b>: the client's protocol version must be 1; anything else closes the
 *       connection.
 *   <li><b>LEADER</b> is answered by the socket itself: the socket's own address as clients dial
 *       it ({@code @dqlite}, or the socket path) with the real leader's id, once a connection to
 *       the leader is established for this client; so go-dqlite's rule "the node that names the
 *       address I dialled leads" holds. When no leader is reachable within the search timeout the
 *       answer is "no leader known" (id 0, empty address), and clients retry as they would with a
 *       node.
 *   <li><b>CLIENT</b> is answered with WELCOME and the leader's heartbeat timeout; HEARTBEAT is
 *       ignored (libdqlite 1.11.1 never answers it); CONNECT (raft) closes the connection.
 *   <li><b>Every other request</b> (open, prepare, exec, query and its row batches, finalize,
 *       exec-sql, query-sql, interrupt, cluster, describe, add, assign, remove, transfer, dump,
 *       weight) is forwarded byte for byte to the leader over this client's own upstream
 *       connection, and the answers are forwarded back byte for byte. Describe and weight
 *       therefore concern the leader, as for any client connected to it.
 *   <li><b>Leadership changes</b>: database and statement ids live on the upstream connection. When
 *       the leader answers "not leader" or "leadership lost", that failure is forwarded verbatim;
 *       when the upstream breaks or times out, the client gets a "leadership lost" failure (code
 *       10506: the request's outcome is unknown). Then, if the client has opened a database, its
 *       connection is closed right after that answer: its ids and any transaction died with the
 *       old connection, and go-dqlite's driver and this project's JDBC driver treat both the
 *       error and the closed connection as "reconnect", which lands on the new leader. A client
 *       that has not opened a database keeps its connection, and its next request finds the new
 *       leader. Nothing is retried behind the client's back.
 *   <li><b>Garbage</b> (a bad version, an unknown message type, a malformed body, a header
 *       announcing more than {@link Options#maxRequestBytes} bytes) closes that client's connection
 *       and nothing else.
 * </ul>
 */
public final class AppSocket implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AppSocket.class);

  private final SocketListener listener;
  private final UpstreamConnector connector;
  private final AppSocketMeters meters;
  private final int maxConnections;
  private final long maxRequestBytes;
  private final Set<ProxySession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicLong counter = new AtomicLong();
  private final Thread acceptor;
  private volatile boolean closed;

  /**
   * Options of the app socket.
   *
   * @param address {@code @name} or an absolute socket path
   * @param leaderSearch dialer and timeouts for reaching the leader; its request timeout bounds
   *     each answer the leader owes
   * @param searchTimeout how long one client's leader search may take before it is told "no
   *     leader"; default 10 s, below go-dqlite's 15 s attempt timeout
   * @param attemptTimeout how long one node may take to answer during that search before the
   *     next is tried; default 2 s (go-dqlite's probe timeout in its role algorithm), so that one
   *     node that accepts connections but never answers cannot use up the search
   * @param maxConnections connections served at once; more are closed on arrival; default 1024
   * @param maxRequestBytes the largest request body accepted; a header announcing more is treated
   *     as garbage (the connection is closed) instead of waiting for gigabytes; default 64 MiB
   */
  public record Options(
      String address,
      ConnectorConfig leaderSearch,
      Duration searchTimeout,
      Duration attemptTimeout,
      int maxConnections,
      long maxRequestBytes) {

    /** Defaults for everything but the address and the dialer. */
    public static Options defaults(String address, ConnectorConfig leaderSearch) {
      return new Options(
          address, leaderSearch, Duration.ofSeconds(10), Duration.ofSeconds(2), 1024, 64L << 20);
    }
  }

  private AppSocket(
      SocketListener listener,
      UpstreamConnector connector,
      AppSocketMeters meters,
      int max,
      long maxRequestBytes) {
    this.listener = listener;
    this.maxRequestBytes = maxRequestBytes;
    this.connector = connector;
    this.meters = meters;
    this.maxConnections = max;
    this.acceptor = new Thread(this::acceptLoop, "dqlite-app-socket-accept");
    this.acceptor.setDaemon(true);
  }

  /**
   * Listens and starts serving.
   *
   * @param store the cluster's members, where the leader is searched
   * @throws IOException when the socket cannot be bound (e.g. the name is taken)
   */
  public static AppSocket start(Options options, NodeStore store, AppSocketMeters meters)
      throws IOException {
    SocketListener listener = SocketListener.open(options.address());
    AppSocket s =
        new AppSocket(
            listener,
            new UpstreamConnector(
                store,
                options.leaderSearch(),
                options.searchTimeout(),
                options.attemptTimeout()),
            meters,
            options.maxConnections(),
            options.maxRequestBytes());
    s.acceptor.start();
    log.info("app socket listening on {}", listener.address());
    return s;
  }

  /** The address clients dial. */
  public String address() {
    return listener.address();
  }

  /** Connections being served now. */
  public int connections() {
    return sessions.size();
  }

  private void acceptLoop() {
    while (!closed) {
      Transport t;
      try {
        t = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          log.error("app socket {}: accept failed, no longer serving: {}", address(),
              e.getMessage());
        }
        return;
      }
      if (sessions.size() >= maxConnections) {
        meters.rejected();
        log.warn("app socket {}: {} connections already open, refusing one more", address(),
            maxConnections);
        t.close();
        continue;
      }
      String name = "#" + counter.incrementAndGet();
      ProxySession session = new ProxySession(t, listener.address(), connector, meters, name, maxRequestBytes);
      sessions.add(session);
      meters.opened();
      Thread worker =
          new Thread(
              () -> {
                try {
                  session.run();
                } finally {
                  sessions.remove(session);
                  meters.closed();
                }
              },
              "dqlite-app-socket-" + name.substring(1));
      worker.setDaemon(true);
      worker.start();
    }
  }

  /** Stops listening and closes every client connection; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    listener.close();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProxySession s : sessions) {
      s.close();
    }
    log.info("app socket {} closed", listener.address());
  }
}
