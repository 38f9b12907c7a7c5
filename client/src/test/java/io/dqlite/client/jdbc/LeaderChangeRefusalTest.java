package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.net.DefaultDialer;
import io.dqlite.client.net.Dialer;
import io.dqlite.client.protocol.ClientRequest;
import io.dqlite.client.protocol.DbResponse;
import io.dqlite.client.protocol.EmptyResponse;
import io.dqlite.client.protocol.ExecSqlRequest;
import io.dqlite.client.protocol.FailureResponse;
import io.dqlite.client.protocol.FakePeer;
import io.dqlite.client.protocol.LeaderRequest;
import io.dqlite.client.protocol.NodeResponse;
import io.dqlite.client.protocol.OpenRequest;
import io.dqlite.client.protocol.Request;
import io.dqlite.client.protocol.ResultResponse;
import io.dqlite.client.protocol.WelcomeResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How the driver takes the answers libdqlite 1.11.1 gives while leadership moves, against a
 * scripted node reached through a {@link DqliteDataSource} built from a node store and a dialer:
 * raft's code 7 with a stale "no more rows available" on a COMMIT, and "no database opened" (code
 * 12) on the old connection.
 */
@Timeout(60) // a safety net against hangs, not a speed assertion
class LeaderChangeRefusalTest {

  /** Not resolvable: only the test's dialer knows where it is. */
  private static final String NAME = "node-0.dqlite.invalid:9001";

  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> statements = new CopyOnWriteArrayList<>();

  /** A node that leads and answers {@code exec(connection number, sql)} to every ExecSql. */
  private FakePeer node(BiFunction<Integer, String, io.dqlite.client.protocol.Response> exec)
      throws Exception {
    return FakePeer.repeating(
        c -> {
          int n = connections.incrementAndGet();
          c.readHandshake();
          while (true) {
            Request r = c.readRequest();
            if (r instanceof ClientRequest) {
              c.send(new WelcomeResponse(15_000));
            } else if (r instanceof LeaderRequest) {
              c.send(new NodeResponse(1, NAME));
            } else if (r instanceof OpenRequest) {
              c.send(new DbResponse(0));
            } else if (r instanceof ExecSqlRequest e) {
              statements.add(n + ": " + e.sql());
              c.send(exec.apply(n, e.sql()));
            } else {
              c.send(new EmptyResponse());
            }
          }
        });
  }

  private static DqliteDataSource dataSource(FakePeer peer, AtomicInteger dials) {
    Dialer dialer =
        (address, timeout) -> {
          assertThat(address).isEqualTo(NAME);
          dials.incrementAndGet();
          return DefaultDialer.INSTANCE.dial(peer.address(), timeout);
        };
    DqliteDataSource ds = new DqliteDataSource(InMemoryNodeStore.of(NAME), dialer, "app");
    ds.setProperty(DqliteProperty.LEADER_TIMEOUT, "5000");
    return ds;
  }

  private static ResultResponse ok() {
    return new ResultResponse(0, 1);
  }

  @Test
  void aCommitRefusedWithRaftCode7IsRolledBackAndRetriedByDqliteTransactions() throws Exception {
    try (FakePeer peer =
        node(
            (n, sql) ->
                n == 1 && sql.startsWith("COMMIT")
                    ? new FailureResponse(7, "no more rows available")
                    : ok())) {
      AtomicInteger dials = new AtomicInteger();
      DqliteDataSource ds = dataSource(peer, dials);
      AtomicInteger attempts = new AtomicInteger();

      int rows =
          DqliteTransactions.inTransaction(
              ds,
              conn -> {
                attempts.incrementAndGet();
                try (Statement s = conn.createStatement()) {
                  return s.executeUpdate("INSERT INTO t(v) VALUES (1)");
                }
              });

      assertThat(rows).isEqualTo(1);
      assertThat(attempts).hasValue(2);
      assertThat(connections).hasValue(2);
      assertThat(dials.get()).isGreaterThanOrEqualTo(2);
      assertThat(statements).contains("1: COMMIT", "2: COMMIT");
    }
  }

  @Test
  void theRefusedCommitItselfSays40001AndTheConnectionMovesOn() throws Exception {
    try (FakePeer peer =
        node(
            (n, sql) ->
                n == 1 && sql.startsWith("COMMIT")
                    ? new FailureResponse(7, "no more rows available")
                    : ok())) {
      try (Connection conn = dataSource(peer, new AtomicInteger()).getConnection()) {
        conn.setAutoCommit(false);
        try (Statement s = conn.createStatement()) {
          s.executeUpdate("INSERT INTO t(v) VALUES (1)");
        }
        assertThatThrownBy(conn::commit)
            .isInstanceOfSatisfying(
                SQLException.class,
                e -> {
                  assertThat(e.getSQLState()).isEqualTo("40001");
                  assertThat(e.getErrorCode()).isEqualTo(7);
                  assertThat(DqliteSqlState.isRetryable(e)).isTrue();
                });
        try (Statement s = conn.createStatement()) {
          assertThat(s.executeUpdate("INSERT INTO t(v) VALUES (2)")).isEqualTo(1);
        }
        conn.commit();
      }
      assertThat(connections).hasValue(2);
    }
  }

  @Test
  void noDatabaseOpenedOnTheOldConnectionIsABadConnectionAndTheStatementIsRetried()
      throws Exception {
    try (FakePeer peer =
        node((n, sql) -> n == 1 ? new FailureResponse(12, "no database opened") : ok())) {
      try (Connection conn = dataSource(peer, new AtomicInteger()).getConnection();
          Statement s = conn.createStatement()) {
        assertThat(s.executeUpdate("INSERT INTO t(v) VALUES (1)")).isEqualTo(1);
      }
      assertThat(connections).hasValue(2);
      assertThat(statements)
          .containsExactly("1: INSERT INTO t(v) VALUES (1)", "2: INSERT INTO t(v) VALUES (1)");
    }
  }

  @Test
  void aGenuineOutOfMemoryIsNotMistakenForALeaderChange() throws Exception {
    try (FakePeer peer = node((n, sql) -> new FailureResponse(7, "out of memory"))) {
      try (Connection conn = dataSource(peer, new AtomicInteger()).getConnection();
          Statement s = conn.createStatement()) {
        assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t(v) VALUES (1)"))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("HY000"));
      }
      assertThat(connections).hasValue(1);
    }
  }

  @Test
  void aStoreBasedDataSourceHasNoUrlToSetAndDescribesItsNodes() throws Exception {
    try (FakePeer peer = node((n, sql) -> ok())) {
      DqliteDataSource ds = dataSource(peer, new AtomicInteger());
      assertThat(ds.getUrl()).isEqualTo("jdbc:dqlite://" + NAME + "/app");
      assertThatThrownBy(() -> ds.setUrl("jdbc:dqlite://h:1/db"))
          .isInstanceOf(IllegalStateException.class);
      try (Connection conn = ds.getConnection()) {
        assertThat(conn.getMetaData().getURL()).isEqualTo("jdbc:dqlite://" + NAME + "/app");
      }
    }
  }
}
