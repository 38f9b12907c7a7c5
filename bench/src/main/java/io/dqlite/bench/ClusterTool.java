package io.dqlite.bench;

import io.dqlite.client.Client;
import io.dqlite.client.jdbc.DqliteDataSource;
import io.dqlite.client.jdbc.DqliteTransactions;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What bench/run.sh asks of the cluster between runs, through this project's admin client: who
 * leads, move the leadership, wait until every node is a voter that knows the leader, and empty the
 * benchmark table. Every wait is bounded.
 */
final class ClusterTool {

  private final List<String> nodes;
  private final ConnectorConfig config;

  ClusterTool(List<String> nodes) {
    this.nodes = List.copyOf(nodes);
    // Generous per-node budgets: these steps run between slices on a machine that may be loaded
    // (a 16-worker run left a node answering a leader probe in more than 1.25 s at load 20, and
    // the placement gave up), and a slow answer is no reason to fail the run.
    this.config =
        ConnectorConfig.builder()
            .dialTimeout(Duration.ofSeconds(5))
            .attemptTimeout(Duration.ofSeconds(10))
            .connectTimeout(Duration.ofSeconds(30))
            .requestTimeout(Duration.ofSeconds(30))
            .build();
  }

  /** The leader's address. */
  String leader() throws DqliteException {
    try (Client c = Client.findLeader(InMemoryNodeStore.of(nodes.toArray(String[]::new)), config)) {
      return c.address();
    }
  }

  /**
   * Waits until there is a leader, the configuration holds every node as a voter, and each node
   * names that leader.
   */
  String awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "nothing checked yet";
    while (true) {
      try {
        String leader = leader();
        List<NodeInfo> cluster;
        try (Client c = Client.connect(leader, config)) {
          cluster = c.cluster();
        }
        long voters =
            cluster.stream()
                .filter(n -> n.role() == NodeRole.VOTER && nodes.contains(n.address()))
                .count();
        if (voters == nodes.size() && everyNodeNames(leader)) {
          return leader;
        }
        last = "leader " + leader + ", configuration " + cluster;
      } catch (DqliteException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "cluster " + nodes + " not ready within " + timeout.toSeconds() + " s: " + last);
      }
      Thread.sleep(200);
    }
  }

  /**
   * Waits until there is a leader and every node names it: a node just restarted (the go driver)
   * must have caught up with the leader before the leadership can move to it.
   */
  String awaitAgreement(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "nothing checked yet";
    while (true) {
      try {
        String leader = leader();
        if (everyNodeNames(leader)) {
          return leader;
        }
        last = "not every node of " + nodes + " names leader " + leader;
      } catch (DqliteException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "nodes "
                + nodes
                + " did not agree on a leader within "
                + timeout.toSeconds()
                + " s: "
                + last);
      }
      Thread.sleep(200);
    }
  }

  private boolean everyNodeNames(String leader) {
    for (String node : nodes) {
      try (Client c = Client.connect(node, config)) {
        Optional<NodeInfo> l = c.leader();
        if (l.isEmpty() || !l.get().address().equals(leader)) {
          return false;
        }
      } catch (DqliteException e) {
        return false;
      }
    }
    return true;
  }

  /** Moves the leadership to {@code target} (a voter) and waits until the move is seen. */
  void transferTo(String target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "nothing tried yet";
    while (true) {
      try (Client c =
          Client.findLeader(InMemoryNodeStore.of(nodes.toArray(String[]::new)), config)) {
        if (c.address().equals(target)) {
          return;
        }
        long id =
            c.cluster().stream()
                .filter(n -> n.address().equals(target))
                .mapToLong(NodeInfo::id)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(target + " is not in the cluster"));
        c.transfer(id);
        last = "transfer from " + c.address() + " to " + target + " requested";
      } catch (DqliteException e) {
        last = e.getMessage();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "leadership did not move to "
                + target
                + " within "
                + timeout.toSeconds()
                + " s: "
                + last);
      }
      Thread.sleep(100);
    }
  }

  /** Drops and re-creates the benchmark table, so that every run starts from an empty one. */
  void resetTable(String database) throws SQLException {
    String url = "jdbc:dqlite://" + String.join(",", nodes) + "/" + database;
    DqliteDataSource ds = new DqliteDataSource(url);
    try (Connection c = ds.getConnection()) {
      DqliteTransactions.inTransaction(
          c,
          conn -> {
            try (Statement s = conn.createStatement()) {
              s.execute("DROP TABLE IF EXISTS model");
              s.execute(KvWorkload.SCHEMA);
            }
            return null;
          });
    }
  }
}
