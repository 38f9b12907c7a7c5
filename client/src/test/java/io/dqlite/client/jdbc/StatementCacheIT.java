package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.RequestType;
import io.dqlite.client.testing.DqliteDemoCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Closed prepared statements are kept on the node and handed out again: writes, and queries the
 * node ran to their end; a query closed before its last row is finalized.
 */
class StatementCacheIT {

  private static DqliteDemoCluster cluster;
  private static String url;

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = DqliteDemoCluster.start(1, "127.0.2.7");
    url = cluster.jdbcUrl("statement-cache-it");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)");
    }
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static int id(PreparedStatement ps) throws SQLException {
    return ps.unwrap(DqlitePreparedStatement.class).statementId();
  }

  private static void put(PreparedStatement ps, String k, String v) throws SQLException {
    ps.setString(1, k);
    ps.setString(2, v);
    assertThat(ps.executeUpdate()).isEqualTo(1);
  }

  @Test
  void aClosedWriteIsHandedOutAgainButNeverToTwoOpenStatements() throws SQLException {
    String insert = "INSERT OR REPLACE INTO kv VALUES (?, ?)";
    try (Connection c = DriverManager.getConnection(url)) {
      PreparedStatement first = c.prepareStatement(insert);
      put(first, "a", "1");
      int kept = id(first);
      first.close();

      // A statement prepared meanwhile gets another id: the closed one is still held.
      try (PreparedStatement other = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
        assertThat(id(other)).isNotEqualTo(kept);
      }
      try (PreparedStatement again = c.prepareStatement(insert);
          PreparedStatement concurrent = c.prepareStatement(insert)) {
        assertThat(id(again)).isEqualTo(kept);
        assertThat(id(concurrent)).isNotEqualTo(kept);
        put(again, "b", "2");
        put(concurrent, "c", "3");
      }
    }
    assertThat(count()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aQueryReadToItsEndIsHandedOutAgainAndAnsweredForNewParameters() throws SQLException {
    String select = "SELECT v FROM kv WHERE k = ?";
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement put = c.prepareStatement("INSERT OR REPLACE INTO kv VALUES (?, ?)")) {
      put(put, "q1", "one");
      put(put, "q2", "two");
      int kept;
      try (PreparedStatement first = c.prepareStatement(select)) {
        first.setString(1, "q1");
        try (ResultSet rs = first.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("one");
          // not read to false: the node sent its last batch already, the statement is done
        }
        kept = id(first);
      }
      Map<RequestType, Long> before = ProtocolConnection.requestsSent();
      try (PreparedStatement again = c.prepareStatement(select)) {
        assertThat(id(again)).isEqualTo(kept);
        again.setString(1, "q2");
        try (ResultSet rs = again.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("two");
          assertThat(rs.next()).isFalse();
        }
      }
      Map<RequestType, Long> sent = RequestsSent.since(before);
      assertThat(sent).containsEntry(RequestType.QUERY, 1L);
      assertThat(sent).doesNotContainKeys(RequestType.PREPARE, RequestType.FINALIZE);
    }
  }

  @Test
  void aQueryClosedBeforeItsLastRowIsFinalized() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      ManyRows.create(s);
      String select = ManyRows.SELECT;
      int freed;
      try (PreparedStatement ps = c.prepareStatement(select);
          ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue(); // one row of many batches, then closed
        freed = id(ps);
      }
      // The node reuses the freed slot: the interrupted query was finalized, not kept.
      try (PreparedStatement other = c.prepareStatement(select)) {
        assertThat(id(other)).isEqualTo(freed);
        try (ResultSet rs = other.executeQuery()) {
          int rows = 0;
          while (rs.next()) {
            rows++;
          }
          assertThat(rows).isEqualTo(2000);
        }
      }
    }
  }

  @Test
  void withTheCacheOffEveryCloseFinalizes() throws SQLException {
    String insert = "INSERT OR REPLACE INTO kv VALUES (?, ?)";
    try (Connection c = DriverManager.getConnection(url + "?statementCacheSize=0")) {
      PreparedStatement first = c.prepareStatement(insert);
      int freed = id(first);
      first.close();
      // The node reuses the freed slot for the next statement.
      try (PreparedStatement other = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
        assertThat(id(other)).isEqualTo(freed);
      }
    }
  }

  @Test
  void cachedStatementsSurviveEvictionRollbackAndSchemaChanges() throws SQLException {
    try (Connection c = DriverManager.getConnection(url + "?statementCacheSize=4");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE wide (n INTEGER, tag TEXT)");
      // Ten texts through a cache of four: evictions finalize on the node as they go.
      for (int round = 0; round < 3; round++) {
        for (int t = 0; t < 10; t++) {
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO wide (n, tag) VALUES (?, 't" + t + "')")) {
            ps.setInt(1, round);
            ps.executeUpdate();
          }
        }
      }
      String insertT0 = "INSERT INTO wide (n, tag) VALUES (?, 't0')";
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(insertT0)) {
        ps.setInt(1, 99);
        ps.executeUpdate();
      }
      c.rollback();
      c.setAutoCommit(true);
      s.execute("ALTER TABLE wide ADD COLUMN extra TEXT DEFAULT 'x'");
      try (PreparedStatement ps = c.prepareStatement(insertT0)) {
        ps.setInt(1, 3);
        ps.executeUpdate();
      }
      try (ResultSet rs =
          s.executeQuery("SELECT count(*), sum(n = 99), sum(extra = 'x') FROM wide")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(31);
        assertThat(rs.getInt(2)).isZero();
        assertThat(rs.getInt(3)).isEqualTo(31);
      }
    }
  }

  private static long count() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM kv")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
