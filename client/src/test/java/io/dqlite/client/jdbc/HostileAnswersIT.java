package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.Client;
import io.dqlite.client.model.DumpFile;
import io.dqlite.client.protocol.FrameTooLargeException;
import io.dqlite.client.testing.DqliteDemoCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Answers of a real node that the driver must refuse with an SQLException rather than misread or
 * let an unchecked exception escape: text that is not UTF-8 (SQLite stores any bytes as TEXT), an
 * answer over maxFrameSize, an integer in a DATETIME column that is no date.
 */
class HostileAnswersIT {

  private static final String DB = "hostile-answers-it";
  private static DqliteDemoCluster cluster;
  private static String url;

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = DqliteDemoCluster.start(1, "127.0.2.42");
    url = cluster.jdbcUrl(DB);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)");
      s.execute("INSERT INTO t VALUES (1, 'fine'), (2, CAST(x'61ff62' AS TEXT))");
      s.execute("CREATE TABLE d (at DATETIME)");
      s.execute("INSERT INTO d VALUES (9223372036854775807)");
    }
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void textThatIsNotUtf8IsA22021NamingTheColumnAndTheConnectionRecovers() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      assertThatThrownBy(
              () -> {
                try (ResultSet rs = s.executeQuery("SELECT id, s FROM t ORDER BY id")) {
                  while (rs.next()) {
                    rs.getString(2);
                  }
                }
              })
          .isInstanceOfSatisfying(
              SQLDataException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("22021");
                assertThat(e.getMessage())
                    .contains("malformed UTF-8 in text value of column 2 ('s') in row 2")
                    .contains("byte 0xff at offset 1 of the text")
                    .contains(cluster.node(0).address())
                    .contains("SELECT id, s FROM t");
                assertThat(DqliteSqlState.isRetryable(e)).isFalse();
              });
      // The bytes are data, readable as a BLOB; the connection reconnected for it.
      try (ResultSet rs = s.executeQuery("SELECT CAST(s AS BLOB) FROM t WHERE id = 2")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes(1)).containsExactly(0x61, 0xff, 0x62);
      }
    }
  }

  @Test
  void anAnswerOverMaxFrameSizeIsA54000AndTheConnectionRecovers() throws SQLException {
    try (Connection c = DriverManager.getConnection(url + "?maxFrameSize=16384");
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT zeroblob(100000)").next())
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getSQLState()).isEqualTo("54000");
                assertThat(e.getMessage())
                    .contains(cluster.node(0).address())
                    .contains("announces a body of 1000")
                    .contains("limit of 16384 bytes")
                    .contains("maxFrameSize");
              });
      try (ResultSet rs = s.executeQuery("SELECT length(zeroblob(10000))")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(10000);
      }
    }
  }

  @Test
  void anIntegerInADatetimeColumnThatIsNoDateIsALongAndA22003() throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT at FROM d")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getObject(1)).isEqualTo(Long.MAX_VALUE);
      assertThat(rs.getLong(1)).isEqualTo(Long.MAX_VALUE);
      assertThatThrownBy(() -> rs.getTimestamp(1))
          .isInstanceOf(SQLException.class)
          .hasFieldOrPropertyWithValue("SQLState", "22003");
    }
  }

  @Test
  void theAdminClientHonoursItsFrameLimit() throws Exception {
    String address = cluster.node(0).address();
    try (Client small =
        Client.connect(address, cluster.connectorConfig().toBuilder().maxFrameSize(1024).build())) {
      assertThatThrownBy(() -> small.dump(DB))
          .isInstanceOfSatisfying(
              FrameTooLargeException.class,
              e -> {
                assertThat(e.address()).isEqualTo(address);
                assertThat(e.limit()).isEqualTo(1024);
              });
    }
    try (Client client = Client.connect(address, cluster.connectorConfig())) {
      List<DumpFile> files = client.dump(DB);
      assertThat(files).extracting(DumpFile::name).containsExactly(DB, DB + "-wal");
    }
  }
}
