package io.dqlite.sidecar.appsocket;

import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.leader.NoLeaderException;
import io.dqlite.client.leader.NodeStore;
import io.dqlite.client.protocol.ProtocolConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens {@link Upstream} connections to the current leader. The last leader is tried first (one
 * dial, one leader request); when it no longer leads, the node it names is tried once; otherwise a
 * full search over the node store runs ({@link LeaderConnector}, go-dqlite's rules), and the leader
 * it finds is dialled raw.
 *
 * <p>Every node gets at most {@code attemptTimeout} per try, far less than the whole search: a node
 * that accepts connections but never answers (a frozen process, a pod shutting down behind a TLS
 * proxy, a partition that drops packets) must not eat the search. Before this bound, the last
 * leader alone got the whole 10 s budget (go-dqlite's 15 s attempt timeout exceeds it), every
 * search began with it, and so the socket answered "no leader" for as long as the old leader hung,
 * though another node led. A last leader that fails a try is also forgotten, so the sessions after
 * it start with the node store.
 */
final class UpstreamConnector implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(UpstreamConnector.class);

  private final NodeStore store;
  private final ConnectorConfig config;
  private final Duration searchTimeout;
  private final Duration attemptTimeout;
  private final AtomicReference<String> lastLeader = new AtomicReference<>();
  private final String localNode;
  private volatile WarmUpstream warm;

  /**
   * @param store the cluster's members (the App's cluster.yaml)
   * @param config dialer and timeouts; its request timeout bounds each upstream response
   * @param searchTimeout how long one {@link #connect()} may search
   * @param attemptTimeout how long one node may take to answer (dial, handshake, leader and client
   *     requests) before the search moves on
   */
  UpstreamConnector(
      NodeStore store, ConnectorConfig config, Duration searchTimeout, Duration attemptTimeout) {
    this(store, config, searchTimeout, attemptTimeout, null);
  }

  /**
   * @param localNode the raft address of the node this socket serves, asked first when the last
   *     leader does not answer as leader; null for none
   */
  UpstreamConnector(
      NodeStore store,
      ConnectorConfig config,
      Duration searchTimeout,
      Duration attemptTimeout,
      String localNode) {
    this.localNode = localNode;
    this.store = store;
    this.config = config;
    this.searchTimeout = searchTimeout;
    this.attemptTimeout = min(attemptTimeout, config.attemptTimeout());
  }

  /**
   * A registered connection to the leader.
   *
   * @throws IOException naming what was tried, when no leader is reachable within the search
   *     timeout
   */
  Upstream connect() throws IOException {
    WarmUpstream w = warm;
    if (w != null) {
      Upstream spare = w.take();
      if (spare != null) {
        lastLeader.set(spare.address());
        return spare;
      }
    }
    Upstream found = search();
    if (w != null) {
      w.requestRefill();
    }
    return found;
  }

  /**
   * From now on keeps one upstream dialled ahead of need ({@link WarmUpstream}), checked every
   * {@code refresh}; returns this connector.
   */
  UpstreamConnector keepWarm(Duration refresh) {
    if (warm == null) {
      warm = new WarmUpstream(this::search, attemptTimeout, refresh);
    }
    return this;
  }

  /** The warm upstream, if {@link #keepWarm} was called; for tests. */
  WarmUpstream warm() {
    return warm;
  }

  /** Stops keeping a warm upstream and closes it; idempotent. */
  @Override
  public void close() {
    WarmUpstream w = warm;
    if (w != null) {
      w.close();
    }
  }

  /** A search for the leader: the last leader, the local node, then the store. */
  private Upstream search() throws IOException {
    long deadline = System.nanoTime() + searchTimeout.toNanos();
    String cached = lastLeader.get();
    if (cached != null) {
      Upstream u = tryAddress(cached, deadline);
      if (u != null) {
        return u;
      }
      if (lastLeader.compareAndSet(cached, null)) {
        log.info(
            "app socket: last leader {} did not answer as leader; searching the cluster", cached);
      }
    }
    if (localNode != null && !localNode.equals(cached)) {
      Upstream u = tryAddress(localNode, deadline);
      if (u != null) {
        return u;
      }
    }
    IOException last = null;
    while (System.nanoTime() < deadline) {
      String address;
      Duration left = remaining(deadline);
      ConnectorConfig search =
          config.toBuilder()
              .connectTimeout(left)
              .attemptTimeout(attemptTimeout)
              .dialTimeout(min(config.dialTimeout(), attemptTimeout))
              .build();
      try (ProtocolConnection c = new LeaderConnector(store, search).connect()) {
        address = c.address();
      } catch (NoLeaderException e) {
        throw new IOException(e.getMessage(), e);
      }
      try {
        Upstream u = tryAddress(address, deadline);
        if (u != null) {
          return u;
        }
      } catch (RuntimeException e) {
        last = new IOException(e.getMessage(), e);
      }
    }
    throw new IOException(
        "no dqlite leader reachable within "
            + searchTimeout.toMillis()
            + " ms"
            + (last == null ? "" : ": " + last.getMessage()),
        last);
  }

  /** The leader last connected to, or null. */
  String lastLeader() {
    return lastLeader.get();
  }

  private Upstream tryAddress(String address, long deadline) {
    try {
      Upstream.Probe p =
          Upstream.probe(config.dialer(), address, budget(deadline), config.requestTimeout());
      if (p.leader() == null && p.reportedLeader() != null && System.nanoTime() < deadline) {
        p =
            Upstream.probe(
                config.dialer(), p.reportedLeader(), budget(deadline), config.requestTimeout());
      }
      if (p.leader() != null) {
        if (!p.leader().address().equals(lastLeader.getAndSet(p.leader().address()))) {
          log.info("app socket: leader is {}", p.leader().address());
        }
        return p.leader();
      }
    } catch (IOException e) {
      log.debug("app socket: {}", e.getMessage());
    }
    return null;
  }

  private Duration budget(long deadline) {
    return min(remaining(deadline), attemptTimeout);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
  }
}
