package io.dqlite.sidecar.appsocket;

import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.NodeStore;
import io.dqlite.client.net.Transport;
import io.dqlite.sidecar.api.SidecarSetting;
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
 *   <li><b>LEADER</b> is answered by the socket itself: the socket's own address as clients dial it
 *       ({@code @dqlite}, or the socket path) with the real leader's id, once a connection to the
 *       leader is established for this client; so go-dqlite's rule "the node that names the address
 *       I dialled leads" holds. When no leader is reachable within the search timeout the answer is
 *       "no leader known" (id 0, empty address), and clients retry as they would with a node.
 *   <li><b>CLIENT</b> is answered with WELCOME and the leader's heartbeat timeout; HEARTBEAT is
 *       ignored (libdqlite 1.11.1 never answers it); CONNECT (raft) closes the connection.
 *   <li><b>Every other request</b> (open, prepare, exec, query and its row batches, finalize,
 *       exec-sql, query-sql, interrupt, cluster, describe, add, assign, remove, transfer, dump,
 *       weight) is forwarded byte for byte to the leader over this client's own upstream
 *       connection, and the answers are forwarded back byte for byte. Describe and weight therefore
 *       concern the leader, as for any client connected to it.
 *   <li><b>Leadership changes</b>: database and statement ids live on the upstream connection. When
 *       the leader answers "not leader" or "leadership lost", that failure is forwarded verbatim;
 *       when the upstream breaks or times out, the client gets a "leadership lost" failure (code
 *       10506: the request's outcome is unknown). Then, if the client has opened a database, its
 *       connection is closed right after that answer: its ids and any transaction died with the old
 *       connection, and go-dqlite's driver and this project's JDBC driver treat both the error and
 *       the closed connection as "reconnect", which lands on the new leader. A client that has not
 *       opened a database keeps its connection, and its next request finds the new leader. Nothing
 *       is retried behind the client's back.
 *   <li><b>Garbage</b> (a bad version, an unknown message type, a malformed body, a header that is
 *       not one of the SQL requests announcing more than 8 KiB) closes that client's connection and
 *       nothing else. A request over {@link Limits#maxRequestBytes} is answered with a failure
 *       before its body is read, then the connection is closed.
 *   <li><b>What kills libdqlite 1.11.1</b> is never forwarded ({@link RequestGuard}): a statement
 *       id this connection does not hold (answered SQLITE_NOTFOUND), a describe of another format
 *       than 0, an empty body.
 *   <li><b>Membership requests</b> (add, assign, remove, transfer) are refused unless {@link
 *       Limits#membership} allows them.
 *   <li><b>Deadlines</b>: an idle connection, a request that does not finish arriving and an
 *       application that stops reading its answers are closed ({@link Limits}).
 *   <li><b>A warm upstream</b>: one connection to the leader is kept dialled ahead of need and
 *       handed to the next client after a leadership check ({@link WarmUpstream}), so a client that
 *       arrives (a failover, a pool growing) does not wait for a search and a handshake.
 * </ul>
 */
public final class AppSocket implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AppSocket.class);

  /**
   * How often the warm upstream is checked: leadership moves without telling idle connections, and
   * a handover (a rolling update) is exactly when clients arrive here from a pod going away, a
   * second or more after its leadership left it. One leader request per second costs the leader
   * nothing measurable.
   */
  static final Duration WARM_REFRESH = Duration.ofSeconds(1);

  private final SocketListener listener;
  private final UpstreamConnector connector;
  private final AppSocketMeters meters;
  private final int maxConnections;
  private final Limits limits;
  private final AcceptBackoff backoff;
  private final Set<ProxySession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicLong counter = new AtomicLong();
  private final Thread acceptor;
  private volatile boolean closed;
  private volatile String fatal;

  /** Whether membership requests (add, assign, remove, transfer) reach the leader. */
  public enum Membership {
    /** Answered with a failure that names the flag (the default: the operator owns membership). */
    REFUSE,
    /** Forwarded like any other request. */
    ALLOW
  }

  /**
   * What one connection may do and how long it may take.
   *
   * @param maxRequestBytes the largest request body accepted; a larger one is answered with a
   *     failure (SQLITE_TOOBIG) before its body is read, and the connection is closed. Default
   *     {@value #DEFAULT_MAX_REQUEST} (64 MiB): a statement's text and parameters travel in one
   *     request, libdqlite 1.11.1 holds a request whole in memory on the leader and in the raft
   *     entry it writes, and more than this in one statement is better split; the proxy itself
   *     streams it through a fixed buffer whatever the size
   * @param idleTimeout how long a connection may wait with no request in flight before it is
   *     closed; default 1 h, longer than connection pools keep idle connections by default
   *     (HikariCP: 10 min idle, 30 min lifetime), so only leaked connections meet it
   * @param frameTimeout how long a request may take to arrive once its header came (and the
   *     handshake); default 30 s
   * @param writeTimeout how long one write to the application may block (it stopped reading
   *     answers) before the connection is closed; default 30 s
   * @param membership whether add, assign, remove and transfer are forwarded; default refuse
   */
  public record Limits(
      long maxRequestBytes,
      Duration idleTimeout,
      Duration frameTimeout,
      Duration writeTimeout,
      Membership membership) {

    /** The default of {@link #maxRequestBytes}: 64 MiB. */
    public static final long DEFAULT_MAX_REQUEST =
        (Long) SidecarSetting.APP_SOCKET_MAX_REQUEST.defaultParsed();

    public Limits {
      SidecarSetting.APP_SOCKET_MAX_REQUEST.check(maxRequestBytes);
      SidecarSetting.APP_SOCKET_IDLE_TIMEOUT.check(java.util.Objects.requireNonNull(idleTimeout));
      SidecarSetting.APP_SOCKET_FRAME_TIMEOUT.check(java.util.Objects.requireNonNull(frameTimeout));
      SidecarSetting.APP_SOCKET_WRITE_TIMEOUT.check(java.util.Objects.requireNonNull(writeTimeout));
      java.util.Objects.requireNonNull(membership, "membership");
    }

    /** Every default: the settings'. */
    public static Limits defaults() {
      return new Limits(
          DEFAULT_MAX_REQUEST,
          (Duration) SidecarSetting.APP_SOCKET_IDLE_TIMEOUT.defaultParsed(),
          (Duration) SidecarSetting.APP_SOCKET_FRAME_TIMEOUT.defaultParsed(),
          (Duration) SidecarSetting.APP_SOCKET_WRITE_TIMEOUT.defaultParsed(),
          Membership.valueOf(
              SidecarSetting.APP_SOCKET_MEMBERSHIP
                  .defaultValue()
                  .orElseThrow()
                  .toUpperCase(java.util.Locale.ROOT)));
    }
  }

  /**
   * Options of the app socket.
   *
   * @param address {@code @name} or an absolute socket path
   * @param leaderSearch dialer and timeouts for reaching the leader; its request timeout bounds
   *     each answer the leader owes
   * @param searchTimeout how long one client's leader search may take before it is told "no
   *     leader"; default 10 s, below go-dqlite's 15 s attempt timeout
   * @param attemptTimeout how long one node may take to answer during that search before the next
   *     is tried; default 2 s (go-dqlite's probe timeout in its role algorithm), so that one node
   *     that accepts connections but never answers cannot use up the search
   * @param maxConnections connections served at once; more are closed on arrival; default 1024
   * @param limits per-connection limits, timeouts and the membership policy
   * @param localNode the raft address of the node this socket belongs to, asked for the leader
   *     before any search ({@link UpstreamConnector}); null for none
   */
  public record Options(
      String address,
      ConnectorConfig leaderSearch,
      Duration searchTimeout,
      Duration attemptTimeout,
      int maxConnections,
      Limits limits,
      String localNode) {

    /** Defaults for everything but the address and the dialer. */
    public static Options defaults(String address, ConnectorConfig leaderSearch) {
      return new Options(
          address,
          leaderSearch,
          Duration.ofSeconds(10),
          Duration.ofSeconds(2),
          1024,
          Limits.defaults(),
          null);
    }

    /** These options with other limits. */
    public Options withLimits(Limits l) {
      return new Options(
          address, leaderSearch, searchTimeout, attemptTimeout, maxConnections, l, localNode);
    }

    /** These options with the local node's raft address. */
    public Options withLocalNode(String raftAddress) {
      return new Options(
          address,
          leaderSearch,
          searchTimeout,
          attemptTimeout,
          maxConnections,
          limits,
          raftAddress);
    }
  }

  private AppSocket(
      SocketListener listener,
      UpstreamConnector connector,
      AppSocketMeters meters,
      int max,
      Limits limits,
      AcceptBackoff backoff) {
    this.listener = listener;
    this.limits = limits;
    this.backoff = backoff;
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
                    options.attemptTimeout(),
                    options.localNode())
                .keepWarm(WARM_REFRESH),
            meters,
            options.maxConnections(),
            options.limits(),
            new AcceptBackoff());
    s.acceptor.start();
    log.info("app socket listening on {}", listener.address());
    return s;
  }

  /** Serves {@code listener} with no leader to reach and a given back-off, for tests. */
  static AppSocket serve(
      SocketListener listener, UpstreamConnector connector, Limits limits, AcceptBackoff backoff) {
    AppSocket s = new AppSocket(listener, connector, AppSocketMeters.noop(), 16, limits, backoff);
    s.acceptor.start();
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
    try {
      while (!closed) {
        Transport t;
        try {
          t = listener.accept();
        } catch (IOException e) {
          if (closed) {
            return;
          }
          if (!AcceptBackoff.isTransient(e.getMessage())) {
            fatal = "accept failed: " + e.getMessage();
            log.error("app socket {}: {}; no longer serving", address(), fatal);
            return;
          }
          waitOut(e.getMessage());
          continue;
        }
        backoff
            .succeeded(System.nanoTime())
            .ifPresent(
                d ->
                    log.info(
                        "app socket {}: accepting again after {} ms ({} failures)",
                        address(),
                        d.toMillis(),
                        backoff.failures()));
        serve(t);
      }
    } catch (Throwable e) {
      fatal = "the accept thread died: " + e;
      log.error("app socket {}: {}", address(), fatal);
    }
  }

  /** Backs off after a transient accept failure; logs the first of an episode only. */
  private void waitOut(String error) throws InterruptedException {
    AcceptBackoff.Step step = backoff.failed(System.nanoTime(), error);
    if (step.firstOfEpisode()) {
      log.warn(
          "app socket {}: accept failed: {}; retrying with back-off (up to {} ms apart;"
              + " liveness fails after {} s)",
          address(),
          error,
          AcceptBackoff.MAX_DELAY.toMillis(),
          AcceptBackoff.UNHEALTHY_AFTER.toSeconds());
    }
    java.util.concurrent.TimeUnit.NANOSECONDS.sleep(step.delayNanos());
  }

  private void serve(Transport t) throws InterruptedException {
    if (sessions.size() >= maxConnections) {
      meters.rejected();
      log.warn(
          "app socket {}: {} connections already open, refusing one more",
          address(),
          maxConnections);
      t.close();
      return;
    }
    String name = "#" + counter.incrementAndGet();
    ProxySession session = new ProxySession(t, listener.address(), connector, meters, name, limits);
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
    try {
      worker.start();
    } catch (OutOfMemoryError e) {
      // No native thread for this connection: drop it and wait, as for EMFILE.
      sessions.remove(session);
      meters.closed();
      session.close();
      waitOut(e.getMessage());
    }
  }

  /**
   * Why the app socket cannot be called live, if it cannot: its accept thread died or failed for
   * good, or accepting has failed for longer than {@link AcceptBackoff#UNHEALTHY_AFTER}. Empty when
   * serving (or closed on purpose).
   */
  public java.util.Optional<String> problem() {
    if (closed) {
      return java.util.Optional.empty();
    }
    String f = fatal;
    if (f != null) {
      return java.util.Optional.of("app socket " + address() + ": " + f);
    }
    if (!acceptor.isAlive()) {
      return java.util.Optional.of(
          "app socket " + address() + ": the accept thread is not running");
    }
    return backoff.problem(System.nanoTime()).map(p -> "app socket " + address() + ": " + p);
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
    connector.close();
    log.info("app socket {} closed", listener.address());
  }
}
