package io.dqlite.client.leader;

import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.net.DqliteAddress;
import io.dqlite.client.protocol.ProtocolConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the cluster's leader and returns a registered connection to it, like go-dqlite 1.11's
 * connector: nodes from the store sorted by role (voters first); each is asked who the leader is; a
 * node that names itself (its reported address equals, as a string, the address dialled) gets the
 * client registration and is returned; a node naming another is left for that one, tried once.
 * Rounds over all nodes repeat with capped exponential backoff until the overall deadline or retry
 * limit, then a {@link NoLeaderException} lists what each address said.
 *
 * <p>Deliberate differences from go-dqlite 1.11.5: the backoff has jitter; the search has a default
 * overall deadline (30 s) instead of running until the caller's context ends; and the pre-1.0
 * protocol fallback is not attempted.
 */
public final class LeaderConnector {

  private static final Logger log = LoggerFactory.getLogger(LeaderConnector.class);

  private final NodeStore store;
  private final ConnectorConfig config;

  public LeaderConnector(NodeStore store, ConnectorConfig config) {
    this.store = store;
    this.config = config;
  }

  /** The configuration in use. */
  public ConnectorConfig config() {
    return config;
  }

  /**
   * Searches for the leader.
   *
   * @return an open connection to the leader, client registered, with the configured request
   *     timeout
   * @throws NoLeaderException when the deadline or retry limit is reached, or the thread is
   *     interrupted (its interrupt flag is then set again)
   */
  public ProtocolConnection connect() throws NoLeaderException {
    long start = System.nanoTime();
    long deadline = start + config.connectTimeout().toNanos();
    Map<String, String> outcomes = new LinkedHashMap<>();
    DqliteException lastError = null;
    for (int round = 0; ; round++) {
      if (round > 0) {
        if (config.retryLimit() > 0 && round > config.retryLimit()) {
          throw giveUp(
              "retry limit of " + config.retryLimit() + " reached",
              round,
              start,
              outcomes,
              lastError);
        }
        Duration delay =
            Backoff.delay(
                round,
                config.backoffFactor(),
                config.backoffCap(),
                ThreadLocalRandom.current().nextDouble());
        if (System.nanoTime() + delay.toNanos() >= deadline) {
          throw giveUp(
              "deadline of " + config.connectTimeout().toMillis() + " ms reached",
              round,
              start,
              outcomes,
              lastError);
        }
        try {
          Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw giveUp("interrupted", round, start, outcomes, e);
        }
      }
      List<NodeInfo> nodes;
      try {
        nodes = new ArrayList<>(store.get());
      } catch (IOException e) {
        outcomes.put("node store", "cannot read: " + e.getMessage());
        continue;
      }
      nodes.sort(Comparator.comparingInt(n -> n.role().code()));
      for (NodeInfo node : nodes) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        Duration budget = Duration.ofNanos(Math.min(remaining, config.attemptTimeout().toNanos()));
        try {
          Optional<ProtocolConnection> leader = tryNode(node.address(), budget, outcomes);
          if (leader.isPresent()) {
            return leader.get();
          }
        } catch (DqliteException e) {
          lastError = e;
        }
      }
    }
  }

  /**
   * Probes one node and, when it names another leader, that leader once.
   *
   * @throws DqliteException the last failure, already recorded in {@code outcomes}
   */
  private Optional<ProtocolConnection> tryNode(
      String address, Duration budget, Map<String, String> outcomes) throws DqliteException {
    long attemptDeadline = System.nanoTime() + budget.toNanos();
    Probe probe = probe(address, budget, outcomes);
    if (probe.connection != null) {
      return Optional.of(probe.connection);
    }
    if (probe.reportedLeader == null) {
      return Optional.empty();
    }
    String reported = probe.reportedLeader;
    String refusal = redirectRefusal(reported);
    if (refusal != null) {
      outcomes.put(address, "reports leader " + printable(reported) + ", not followed: " + refusal);
      log.warn(
          "leader search: {} reports leader {}, not followed: {}",
          address,
          printable(reported),
          refusal);
      return Optional.empty();
    }
    Duration left = Duration.ofNanos(attemptDeadline - System.nanoTime());
    if (left.isNegative() || left.isZero()) {
      outcomes.put(reported, "not tried: attempt timeout reached");
      return Optional.empty();
    }
    Probe second = probe(reported, left, outcomes);
    if (second.connection == null && second.reportedLeader != null) {
      outcomes.put(
          reported, "reported as leader by " + address + " but names " + second.reportedLeader);
    }
    return Optional.ofNullable(second.connection);
  }

  /** A DNS name is at most 253 characters; with brackets, a colon and a port, 261. */
  private static final int MAX_TCP_ADDRESS = 261;

  private static final Pattern TCP_HOST =
      Pattern.compile("[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");

  /**
   * Why a leader address reported by a node is not dialled, or null when it may be. Only a TCP
   * {@code host:port} is followed: a node (or whatever answers in its place) that names a unix
   * socket path or an abstract {@code @name} would make the client dial a socket on its own
   * machine, and garbage has nothing to dial. Such a hint is dropped and the search goes on among
   * the configured nodes, which are dialled whatever their form.
   */
  static String redirectRefusal(String reported) {
    if (reported.length() > MAX_TCP_ADDRESS) {
      return "longer than any DNS name and port";
    }
    DqliteAddress parsed;
    try {
      parsed = DqliteAddress.parse(reported);
    } catch (IllegalArgumentException e) {
      return "not a valid address (expected host:port)";
    }
    if (!(parsed instanceof DqliteAddress.Tcp tcp)) {
      return "not a TCP host:port; a unix socket named by a node is never dialled";
    }
    if (!TCP_HOST.matcher(tcp.host()).matches()) {
      return "its host is neither a DNS name nor an IP address";
    }
    return null;
  }

  /** The address for a log line: control characters escaped, at most 200 characters. */
  private static String printable(String s) {
    StringBuilder sb = new StringBuilder("'");
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return sb.append(s.length() > 200 ? "...'" : "'").toString();
  }

  /** The result of asking one node: a leader connection, another leader's address, or neither. */
  private record Probe(ProtocolConnection connection, String reportedLeader) {}

  private Probe probe(String address, Duration budget, Map<String, String> outcomes)
      throws DqliteException {
    long attemptDeadline = System.nanoTime() + budget.toNanos();
    Duration dialTimeout =
        budget.compareTo(config.dialTimeout()) < 0 ? budget : config.dialTimeout();
    ProtocolConnection conn;
    try {
      conn =
          ProtocolConnection.connect(
              config.dialer(), address, dialTimeout, budget, config.maxFrameSize());
    } catch (DqliteException e) {
      record(outcomes, address, e);
      throw e;
    }
    boolean keep = false;
    try {
      conn.setRequestTimeout(remaining(attemptDeadline));
      Optional<NodeInfo> leader = conn.leader();
      if (leader.isEmpty()) {
        outcomes.put(address, "knows no leader");
        log.debug("leader search: {} knows no leader", address);
        return new Probe(null, null);
      }
      String leaderAddress = leader.get().address();
      if (!leaderAddress.equals(address)) {
        outcomes.put(address, "reports leader " + leaderAddress);
        log.debug("leader search: {} reports leader {}", address, leaderAddress);
        return new Probe(null, leaderAddress);
      }
      conn.setRequestTimeout(remaining(attemptDeadline));
      conn.registerClient(config.clientId());
      conn.setRequestTimeout(config.requestTimeout());
      outcomes.put(address, "leader");
      keep = true;
      log.debug("leader search: connected to leader {}", address);
      return new Probe(conn, null);
    } catch (DqliteException e) {
      record(outcomes, address, e);
      throw e;
    } finally {
      if (!keep) {
        conn.close();
      }
    }
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
  }

  private static void record(Map<String, String> outcomes, String address, DqliteException e) {
    outcomes.put(address, e.getMessage());
    log.debug("leader search: {}: {}", address, e.getMessage());
  }

  private NoLeaderException giveUp(
      String why, int rounds, long start, Map<String, String> outcomes, Throwable cause) {
    List<NoLeaderException.Attempt> attempts = new ArrayList<>();
    outcomes.forEach(
        (address, outcome) -> attempts.add(new NoLeaderException.Attempt(address, outcome)));
    long ms = (System.nanoTime() - start) / 1_000_000;
    return new NoLeaderException(
        "no dqlite leader found: " + why + " after " + rounds + " round(s) in " + ms + " ms",
        attempts,
        cause);
  }
}
