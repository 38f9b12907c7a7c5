package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.testing.DqliteDemoCluster;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JDBC surface on a real one-node dqlite-demo cluster. */
class JdbcDriverIT {

  private static DqliteDemoCluster cluster;
  private static String url;

  @BeforeAll
  static void startCluster() {
    cluster = DqliteDemoCluster.start(1, "127.0.2.1");
    url = cluster.jdbcUrl("jdbc-it");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  @Test
  void driverIsFoundThroughDriverManagerAndConnectsToTheLeader() throws SQLException {
    try (Connection c = connect()) {
      assertThat(c).isInstanceOf(DqliteConnection.class);
      assertThat(c.unwrap(DqliteConnection.class).leaderAddress())
          .isEqualTo(cluster.addresses().get(0));
      assertThat(c.isValid(5)).isTrue();
    }
  }

  @Test
  void crudRoundTrip() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.executeUpdate("CREATE TABLE crud (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
      assertThat(s.executeUpdate("INSERT INTO crud (name) VALUES ('a'), ('b'), ('c')"))
          .isEqualTo(3);
      assertThat(s.executeUpdate("UPDATE crud SET name = 'B' WHERE id = 2")).isEqualTo(1);
      assertThat(s.executeUpdate("DELETE FROM crud WHERE id = 3")).isEqualTo(1);
      try (ResultSet rs = s.executeQuery("SELECT id, name AS label FROM crud ORDER BY id")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("id")).isEqualTo(1);
        assertThat(rs.getString("LABEL")).isEqualTo("a");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(2)).isEqualTo("B");
        assertThat(rs.next()).isFalse();
      }
      assertThat(s.executeUpdate("CREATE INDEX crud_name ON crud(name)")).isZero();
    }
  }

  @Test
  void everyParameterTypeRoundTrips() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE types (i INTEGER, l INTEGER, d REAL, f REAL, b BOOLEAN, t TEXT,"
              + " bl BLOB, dec TEXT, ts DATETIME, dt DATE, tm TEXT, u TEXT, ldt TEXT,"
              + " odt TIMESTAMP, st TEXT, by INTEGER, sh INTEGER, n TEXT)");
      Timestamp ts = Timestamp.from(Instant.parse("2024-05-01T10:00:00.123456789Z"));
      UUID uuid = UUID.randomUUID();
      byte[] blob = {0, 1, 2, (byte) 255};
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO types VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
        ps.setInt(1, 42);
        ps.setLong(2, Long.MAX_VALUE);
        ps.setDouble(3, 3.25);
        ps.setFloat(4, 1.5f);
        ps.setBoolean(5, true);
        ps.setString(6, "héllo 'quoted' ✓");
        ps.setBytes(7, blob);
        ps.setBigDecimal(8, new BigDecimal("12345678901234567890.0123456789"));
        ps.setTimestamp(9, ts);
        ps.setDate(10, Date.valueOf("2024-05-01"));
        ps.setTime(11, Time.valueOf("13:45:10"));
        ps.setObject(12, uuid);
        ps.setObject(13, LocalDateTime.of(2024, 5, 1, 10, 0));
        ps.setObject(14, OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2)));
        ps.setCharacterStream(15, new StringReader("from a reader"));
        ps.setByte(16, (byte) -7);
        ps.setShort(17, (short) 300);
        ps.setNull(18, Types.VARCHAR);
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      try (ResultSet rs = s.executeQuery("SELECT * FROM types")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt("i")).isEqualTo(42);
        assertThat(rs.getLong("l")).isEqualTo(Long.MAX_VALUE);
        assertThat(rs.getDouble("d")).isEqualTo(3.25);
        assertThat(rs.getFloat("f")).isEqualTo(1.5f);
        assertThat(rs.getBoolean("b")).isTrue();
        assertThat(rs.getObject("b")).isEqualTo(Boolean.TRUE);
        assertThat(rs.getString("t")).isEqualTo("héllo 'quoted' ✓");
        assertThat(rs.getBytes("bl")).containsExactly(blob);
        assertThat(rs.getBinaryStream("bl").readAllBytes()).containsExactly(blob);
        assertThat(rs.getBigDecimal("dec"))
            .isEqualTo(new BigDecimal("12345678901234567890.0123456789"));
        assertThat(rs.getTimestamp("ts")).isEqualTo(ts);
        assertThat(rs.getObject("ts")).isEqualTo(ts);
        assertThat(rs.getMetaData().getColumnType(9)).isEqualTo(Types.TIMESTAMP);
        assertThat(rs.getDate("dt")).isEqualTo(Date.valueOf("2024-05-01"));
        assertThat(rs.getObject("dt", LocalDate.class)).isEqualTo(LocalDate.of(2024, 5, 1));
        assertThat(rs.getTime("tm")).isEqualTo(Time.valueOf("13:45:10"));
        assertThat(rs.getObject("u", UUID.class)).isEqualTo(uuid);
        assertThat(rs.getObject("ldt", LocalDateTime.class))
            .isEqualTo(LocalDateTime.of(2024, 5, 1, 10, 0));
        assertThat(rs.getObject("odt", Instant.class))
            .isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        assertThat(rs.getString("st")).isEqualTo("from a reader");
        assertThat(rs.getByte("by")).isEqualTo((byte) -7);
        assertThat(rs.getShort("sh")).isEqualTo((short) 300);
        assertThat(rs.getString("n")).isNull();
        assertThat(rs.wasNull()).isTrue();
        assertThat(rs.getInt("n")).isZero();
        assertThat(rs.wasNull()).isTrue();
        assertThat(rs.getInt("i")).isEqualTo(42);
        assertThat(rs.wasNull()).isFalse();
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void nullsOfEveryKind() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE nulls (a INTEGER, b TEXT, c BLOB, d REAL, e DATETIME)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO nulls VALUES (?, ?, ?, ?, ?)")) {
        ps.setNull(1, Types.INTEGER);
        ps.setString(2, null);
        ps.setBytes(3, null);
        ps.setObject(4, null);
        ps.setTimestamp(5, null);
        ps.executeUpdate();
      }
      try (ResultSet rs = s.executeQuery("SELECT * FROM nulls")) {
        assertThat(rs.next()).isTrue();
        for (int i = 1; i <= 5; i++) {
          assertThat(rs.getObject(i)).as("column %d", i).isNull();
          assertThat(rs.wasNull()).isTrue();
        }
        assertThat(rs.getTimestamp(5)).isNull();
        assertThat(rs.getBytes(3)).isNull();
        assertThat(rs.getBigDecimal(4)).isNull();
      }
    }
  }

  @Test
  void largeBlobRoundTrips() throws Exception {
    byte[] blob = new byte[8 * 1024 * 1024];
    new Random(1).nextBytes(blob);
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO blobs (data) VALUES (?)")) {
        ps.setBinaryStream(1, new ByteArrayInputStream(blob), blob.length);
        ps.executeUpdate();
      }
      try (ResultSet rs = s.executeQuery("SELECT data, length(data) FROM blobs")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(2)).isEqualTo(blob.length);
        assertThat(rs.getBytes(1)).isEqualTo(blob);
      }
    }
  }

  @Test
  void streamsAHundredThousandRows() throws SQLException {
    int n = 100_000;
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE many (id INTEGER PRIMARY KEY, v TEXT)");
      s.execute(
          "WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < "
              + n
              + ")"
              + " INSERT INTO many SELECT x, 'row ' || x FROM seq");
      long count = 0;
      long sum = 0;
      try (ResultSet rs = s.executeQuery("SELECT id, v FROM many ORDER BY id")) {
        while (rs.next()) {
          count++;
          sum += rs.getLong(1);
          if (count == n) {
            assertThat(rs.getString(2)).isEqualTo("row " + n);
          }
        }
      }
      assertThat(count).isEqualTo(n);
      assertThat(sum).isEqualTo((long) n * (n + 1) / 2);
      // Closing early interrupts the query and leaves the connection usable.
      try (ResultSet rs = s.executeQuery("SELECT id FROM many")) {
        assertThat(rs.next()).isTrue();
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM many")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(n);
      }
    }
  }

  @Test
  void nestedResultSetsWhileUpdating() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE nested (id INTEGER PRIMARY KEY, v INTEGER)");
      s.execute(
          "WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < 2000)"
              + " INSERT INTO nested SELECT x, 0 FROM seq");
      try (Statement reader = c.createStatement();
          ResultSet rs = reader.executeQuery("SELECT id FROM nested ORDER BY id");
          PreparedStatement update = c.prepareStatement("UPDATE nested SET v = 1 WHERE id = ?")) {
        int seen = 0;
        while (rs.next()) {
          update.setLong(1, rs.getLong(1));
          update.executeUpdate();
          seen++;
        }
        assertThat(seen).isEqualTo(2000);
      }
      try (ResultSet rs = s.executeQuery("SELECT sum(v) FROM nested")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2000);
      }
    }
  }

  @Test
  void generatedKeysGiveTheLastInsertId() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE keys (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)");
      s.executeUpdate("INSERT INTO keys (v) VALUES ('x')", Statement.RETURN_GENERATED_KEYS);
      try (ResultSet keys = s.getGeneratedKeys()) {
        assertThat(keys.next()).isTrue();
        assertThat(keys.getLong(1)).isEqualTo(1);
      }
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO keys (v) VALUES (?)", new String[] {"id"})) {
        for (String v : List.of("a", "b")) {
          ps.setString(1, v);
          ps.addBatch();
        }
        ps.executeBatch();
        List<Long> ids = new ArrayList<>();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          while (keys.next()) {
            ids.add(keys.getLong("id"));
          }
        }
        assertThat(ids).containsExactly(2L, 3L);
      }
    }
  }

  @Test
  void batchesReportCountsAndStopAtTheFirstFailure() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE batch (id INTEGER PRIMARY KEY, v TEXT)");
      s.addBatch("INSERT INTO batch VALUES (1, 'a')");
      s.addBatch("INSERT INTO batch VALUES (2, 'b'), (3, 'c')");
      s.addBatch("UPDATE batch SET v = 'z'");
      assertThat(s.executeBatch()).containsExactly(1, 2, 3);

      try (PreparedStatement ps = c.prepareStatement("INSERT INTO batch VALUES (?, ?)")) {
        for (int id : new int[] {10, 11, 1, 12}) {
          ps.setInt(1, id);
          ps.setString(2, "v" + id);
          ps.addBatch();
        }
        assertThatThrownBy(ps::executeBatch)
            .isInstanceOf(BatchUpdateException.class)
            .satisfies(
                e -> {
                  BatchUpdateException b = (BatchUpdateException) e;
                  assertThat(b.getUpdateCounts()).containsExactly(1, 1);
                  assertThat(b.getSQLState()).isEqualTo("23000");
                });
      }
    }
  }

  @Test
  void multiStatementExecuteWalksEveryResult() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      boolean first =
          s.execute(
              "CREATE TABLE multi (v INTEGER); INSERT INTO multi VALUES (1), (2);"
                  + " SELECT v FROM multi ORDER BY v; UPDATE multi SET v = v * 10;"
                  + " SELECT sum(v) FROM multi");
      assertThat(first).isFalse();
      assertThat(s.getUpdateCount()).isZero();
      assertThat(s.getMoreResults()).isFalse();
      assertThat(s.getUpdateCount()).isEqualTo(2);
      assertThat(s.getMoreResults()).isTrue();
      try (ResultSet rs = s.getResultSet()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
        assertThat(rs.next()).isTrue();
        assertThat(rs.next()).isFalse();
      }
      assertThat(s.getMoreResults()).isFalse();
      assertThat(s.getUpdateCount()).isEqualTo(2);
      assertThat(s.getMoreResults()).isTrue();
      try (ResultSet rs = s.getResultSet()) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(30);
      }
      assertThat(s.getMoreResults()).isFalse();
      assertThat(s.getUpdateCount()).isEqualTo(-1);
    }
  }

  @Test
  void transactionsCommitAndRollBack() throws SQLException {
    try (Connection c = connect();
        Connection other = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE tx (v INTEGER)");
      c.setAutoCommit(false);
      assertThat(c.unwrap(DqliteConnection.class).inTransaction()).isFalse();
      s.executeUpdate("INSERT INTO tx VALUES (1)");
      assertThat(c.unwrap(DqliteConnection.class).inTransaction()).isTrue();
      assertThat(count(other, "tx")).isZero();
      c.commit();
      assertThat(count(other, "tx")).isEqualTo(1);

      s.executeUpdate("INSERT INTO tx VALUES (2)");
      c.rollback();
      assertThat(count(other, "tx")).isEqualTo(1);
      assertThat(count(c, "tx")).isEqualTo(1);
      c.rollback();

      // Explicit SQL transactions in auto-commit mode are tracked too.
      c.setAutoCommit(true);
      s.execute("BEGIN");
      assertThat(c.unwrap(DqliteConnection.class).inTransaction()).isTrue();
      s.executeUpdate("INSERT INTO tx VALUES (3)");
      s.execute("ROLLBACK");
      s.execute("BEGIN IMMEDIATE");
      s.executeUpdate("INSERT INTO tx VALUES (4)");
      s.execute("COMMIT");
      assertThat(c.unwrap(DqliteConnection.class).inTransaction()).isFalse();
      assertThat(count(other, "tx")).isEqualTo(2);

      // Savepoints.
      c.setAutoCommit(false);
      s.executeUpdate("INSERT INTO tx VALUES (5)");
      var sp = c.setSavepoint();
      s.executeUpdate("INSERT INTO tx VALUES (6)");
      c.rollback(sp);
      c.commit();
      assertThat(count(other, "tx")).isEqualTo(3);
    }
  }

  private static int count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void errorsMapToSqlStatesAndNameTheNode() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE errs (id INTEGER PRIMARY KEY)");
      s.execute("INSERT INTO errs VALUES (1)");
      assertThatThrownBy(() -> s.execute("INSERT INTO errs VALUES (1)"))
          .isInstanceOf(SQLIntegrityConstraintViolationException.class)
          .hasMessageContaining(cluster.addresses().get(0))
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode() & 0xff).isEqualTo(19));
      assertThatThrownBy(() -> s.executeQuery("SELEC 1"))
          .isInstanceOf(SQLSyntaxErrorException.class)
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("42000");
      assertThatThrownBy(() -> c.prepareStatement("SELECT * FROM missing"))
          .isInstanceOf(SQLSyntaxErrorException.class)
          .hasMessageContaining("no such table");
      assertThatThrownBy(() -> s.executeUpdate("INSERT INTO errs VALUES (2) RETURNING id"))
          .hasMessageContaining("RETURNING");
      // The connection is still usable after errors.
      assertThat(count(c, "errs")).isEqualTo(1);
    }
  }

  @Test
  void metadataDescribesTablesColumnsKeysAndIndexes() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE meta_parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
      s.execute(
          "CREATE TABLE meta_child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES"
              + " meta_parent(id) ON DELETE CASCADE, at DATETIME, price NUMERIC)");
      s.execute("CREATE VIEW meta_view AS SELECT name FROM meta_parent");
      DatabaseMetaData md = c.getMetaData();
      assertThat(md.getDatabaseProductName()).isEqualTo("dqlite");
      assertThat(md.getDatabaseMajorVersion()).isEqualTo(3);
      assertThat(md.supportsTransactions()).isTrue();
      assertThat(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_SERIALIZABLE))
          .isTrue();

      List<String> tables = new ArrayList<>();
      try (ResultSet rs = md.getTables(null, null, "meta\\_%", new String[] {"TABLE", "VIEW"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
        }
      }
      assertThat(tables).containsExactly("meta_child:TABLE", "meta_parent:TABLE", "meta_view:VIEW");

      List<String> columns = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, null, "meta_child", null)) {
        while (rs.next()) {
          columns.add(
              rs.getString("COLUMN_NAME")
                  + ":"
                  + rs.getInt("DATA_TYPE")
                  + ":"
                  + rs.getString("IS_AUTOINCREMENT"));
        }
      }
      assertThat(columns)
          .containsExactly(
              "id:" + Types.BIGINT + ":YES",
              "parent:" + Types.BIGINT + ":NO",
              "at:" + Types.TIMESTAMP + ":NO",
              "price:" + Types.NUMERIC + ":NO");

      try (ResultSet rs = md.getPrimaryKeys(null, null, "meta_parent")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("COLUMN_NAME")).isEqualTo("id");
        assertThat(rs.next()).isFalse();
      }
      try (ResultSet rs = md.getImportedKeys(null, null, "meta_child")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("PKTABLE_NAME")).isEqualTo("meta_parent");
        assertThat(rs.getString("FKCOLUMN_NAME")).isEqualTo("parent");
        assertThat(rs.getInt("DELETE_RULE")).isEqualTo(DatabaseMetaData.importedKeyCascade);
      }
      try (ResultSet rs = md.getIndexInfo(null, null, "meta_parent", true, false)) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("COLUMN_NAME")).isEqualTo("name");
        assertThat(rs.getBoolean("NON_UNIQUE")).isFalse();
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT id, name, 1.5 AS r, x'00' AS b FROM meta_parent UNION ALL SELECT 1, 'n', 1.5,"
                  + " x'00'")) {
        ResultSetMetaData rsmd = rs.getMetaData();
        assertThat(rsmd.getColumnCount()).isEqualTo(4);
        assertThat(rsmd.getColumnLabel(3)).isEqualTo("r");
        assertThat(rsmd.getColumnType(1)).isEqualTo(Types.BIGINT);
        assertThat(rsmd.getColumnType(2)).isEqualTo(Types.VARCHAR);
        assertThat(rsmd.getColumnType(3)).isEqualTo(Types.DOUBLE);
        assertThat(rsmd.getColumnType(4)).isEqualTo(Types.VARBINARY);
      }
    }
  }

  @Test
  void pragmasRunThroughExecute() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      assertThat(s.execute("PRAGMA foreign_keys = ON")).isFalse();
      assertThat(s.execute("PRAGMA foreign_keys")).isTrue();
      try (ResultSet rs = s.getResultSet()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void closingIsIdempotentAndClosesChildren() throws SQLException {
    Connection c = connect();
    Statement s = c.createStatement();
    ResultSet rs = s.executeQuery("SELECT 1");
    PreparedStatement ps = c.prepareStatement("SELECT ?");
    c.close();
    c.close();
    assertThat(c.isClosed()).isTrue();
    assertThat(s.isClosed()).isTrue();
    assertThat(rs.isClosed()).isTrue();
    assertThat(ps.isClosed()).isTrue();
    s.close();
    rs.close();
    assertThatThrownBy(c::createStatement)
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("08003");
  }
}
