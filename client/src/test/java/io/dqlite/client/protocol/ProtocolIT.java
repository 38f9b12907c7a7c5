package io.dqlite.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.ErrorCodes;
import io.dqlite.client.testing.DqliteDemoCluster;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The SQL side of the protocol against a real 3-node go-dqlite cluster (libdqlite 1.11.1): value
 * types, result streaming, statements, limits and failure codes. Each test uses its own database.
 */
class ProtocolIT {

  private static DqliteDemoCluster cluster;
  private ProtocolConnection leader;
  private int db;

  @BeforeAll
  static void startCluster() {
    cluster = DqliteDemoCluster.start(3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void connect(TestInfo test) throws DqliteException {
    leader = new LeaderConnector(cluster.store(), cluster.connectorConfig()).connect();
    db = leader.open(test.getTestMethod().orElseThrow().getName() + "-" + UUID.randomUUID());
  }

  @AfterEach
  void disconnect() {
    if (leader != null) {
      leader.close();
    }
  }

  private List<List<Object>> query(String sql, Object... params) throws DqliteException {
    try (Rows rows = leader.querySql(db, sql, Arrays.asList(params))) {
      return rows.readAll();
    }
  }

  @Test
  void everyValueTypeRoundTrips() throws Exception {
    leader.execSql(
        db,
        "CREATE TABLE t (i INTEGER, f REAL, s TEXT, b BLOB, n, ts DATETIME, d DATE,"
            + " ok BOOLEAN, u TIMESTAMP, dec NUMERIC)",
        List.of());
    OffsetDateTime when =
        OffsetDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_789, ZoneOffset.ofHours(-3));
    Instant instant = Instant.parse("2025-06-01T12:00:00Z");
    ExecResult r =
        leader.execSql(
            db,
            "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            Arrays.asList(
                Long.MIN_VALUE,
                -0.25,
                "text",
                new byte[] {0, 1, (byte) 0xff},
                null,
                when,
                instant,
                true,
                1_700_000_000L,
                new BigDecimal("12.50")));
    assertThat(r.rowsAffected()).isEqualTo(1);
    assertThat(r.lastInsertId()).isEqualTo(1);

    try (Rows rows = leader.querySql(db, "SELECT * FROM t", List.of())) {
      assertThat(rows.columnNames())
          .containsExactly("i", "f", "s", "b", "n", "ts", "d", "ok", "u", "dec");
      assertThat(rows.next()).isTrue();
      assertThat(rows.columnTypes())
          .containsExactly(
              ValueType.INTEGER,
              ValueType.FLOAT,
              ValueType.TEXT,
              ValueType.BLOB,
              ValueType.NULL,
              ValueType.ISO8601,
              ValueType.ISO8601,
              ValueType.BOOLEAN,
              ValueType.UNIXTIME,
              ValueType.FLOAT);
      assertThat(rows.get(0)).isEqualTo(Long.MIN_VALUE);
      assertThat(rows.get(1)).isEqualTo(-0.25);
      assertThat(rows.get(2)).isEqualTo("text");
      assertThat((byte[]) rows.get(3)).containsExactly(0, 1, 0xff);
      assertThat(rows.get(4)).isNull();
      assertThat(rows.get(5)).isEqualTo(when);
      assertThat(rows.row().values().get(5)).isEqualTo("2024-02-29 23:59:58.123456789-03:00");
      assertThat(rows.get(6)).isEqualTo(instant.atOffset(ZoneOffset.UTC));
      assertThat(rows.get(7)).isEqualTo(true);
      assertThat(rows.get(8))
          .isEqualTo(OffsetDateTime.of(2023, 11, 14, 22, 13, 20, 0, ZoneOffset.UTC));
      assertThat(rows.get(9)).isEqualTo(12.5); // NUMERIC affinity turned the text into a REAL
      assertThat(rows.next()).isFalse();
    }
  }

  @Test
  void nullsInEveryDeclaredType() throws Exception {
    leader.execSql(
        db, "CREATE TABLE t (i INTEGER, s TEXT, b BLOB, ts DATETIME, ok BOOLEAN)", List.of());
    leader.execSql(db, "INSERT INTO t VALUES (?, ?, ?, ?, ?)", Collections.nCopies(5, null));
    try (Rows rows = leader.querySql(db, "SELECT * FROM t", List.of())) {
      assertThat(rows.next()).isTrue();
      // libdqlite 1.11.1 keeps the declared time type for NULL (as "") and reads a NULL
      // BOOLEAN as integer 0: documented quirks.
      assertThat(rows.columnTypes())
          .containsExactly(
              ValueType.NULL, ValueType.NULL, ValueType.NULL, ValueType.ISO8601, ValueType.BOOLEAN);
      assertThat(rows.get(0)).isNull();
      assertThat(rows.get(1)).isNull();
      assertThat(rows.get(2)).isNull();
      assertThat(rows.get(3)).isNull();
      assertThat(rows.get(4)).isEqualTo(false);
    }
  }

  @Test
  void unicodeTextSurvives() throws Exception {
    String text = "日本語 — ünïcödé 🚀 \u00a0 Ω";
    leader.execSql(db, "CREATE TABLE t (s TEXT)", List.of());
    leader.execSql(db, "INSERT INTO t VALUES (?)", List.of(text));
    assertThat(query("SELECT s, length(s) FROM t"))
        .containsExactly(List.of(text, (long) text.codePointCount(0, text.length())));
  }

  @Test
  void largeBlobsTravelBothWays() throws Exception {
    byte[] blob = new byte[6 * 1024 * 1024 + 5];
    new Random(7).nextBytes(blob);
    leader.execSql(db, "CREATE TABLE t (b BLOB)", List.of());
    leader.execSql(db, "INSERT INTO t VALUES (?)", List.of(blob));
    leader.execSql(db, "INSERT INTO t VALUES (zeroblob(3000000))", List.of());
    try (Rows rows = leader.querySql(db, "SELECT b FROM t ORDER BY rowid", List.of())) {
      assertThat(rows.next()).isTrue();
      assertThat((byte[]) rows.get(0)).isEqualTo(blob);
      assertThat(rows.next()).isTrue();
      assertThat((byte[]) rows.get(0)).hasSize(3_000_000).containsOnly(0);
      assertThat(rows.next()).isFalse();
    }
  }

  @Test
  void hundredThousandRowsStreamInManyBatches() throws Exception {
    leader.execSql(db, "CREATE TABLE t (n INTEGER, s TEXT)", List.of());
    leader.execSql(
        db,
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)"
            + " INSERT INTO t SELECT x, 'row ' || x FROM c",
        List.of());
    long count = 0;
    long sum = 0;
    try (Rows rows = leader.querySql(db, "SELECT n, s FROM t ORDER BY n", List.of())) {
      while (rows.next()) {
        count++;
        long n = (Long) rows.get(0);
        assertThat(n).isEqualTo(count);
        sum += n;
        if (n % 25_000 == 0) {
          assertThat(rows.get(1)).isEqualTo("row " + n);
        }
      }
      assertThat(rows.batchCount()).isGreaterThan(100);
    }
    assertThat(count).isEqualTo(100_000);
    assertThat(sum).isEqualTo(100_000L * 100_001 / 2);
  }

  @Test
  void closingAResultSetEarlyKeepsTheConnectionUsable() throws Exception {
    leader.execSql(db, "CREATE TABLE t (n INTEGER)", List.of());
    leader.execSql(
        db,
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50000)"
            + " INSERT INTO t SELECT x FROM c",
        List.of());
    for (int round = 0; round < 3; round++) {
      Rows rows = leader.querySql(db, "SELECT n FROM t", List.of());
      for (int i = 0; i < 10; i++) {
        assertThat(rows.next()).isTrue();
      }
      rows.close();
      assertThat(query("SELECT count(*) FROM t")).containsExactly(List.of(50_000L));
    }
    StatementInfo stmt = leader.prepare(db, "SELECT n FROM t WHERE n > ?");
    Rows rows = leader.query(db, stmt.id(), List.of(10L));
    assertThat(rows.next()).isTrue();
    leader.interrupt(db);
    assertThat(rows.next()).isFalse();
    assertThat(query("SELECT max(n) FROM t")).containsExactly(List.of(50_000L));
  }

  @Test
  void preparedStatementLifecycle() throws Exception {
    leader.execSql(db, "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)", List.of());
    StatementInfo insert = leader.prepare(db, "INSERT INTO t VALUES (?, ?)");
    assertThat(insert.paramCount()).isEqualTo(2);
    for (int i = 0; i < 5; i++) {
      assertThat(leader.exec(db, insert.id(), List.of("k" + i, i)).lastInsertId()).isEqualTo(i + 1);
    }
    StatementInfo select = leader.prepare(db, "SELECT sum(v) FROM t WHERE k <> ?");
    try (Rows rows = leader.query(db, select.id(), List.of("k0"))) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.get(0)).isEqualTo(10L);
    }
    leader.finalizeStatement(db, insert.id());
    // libdqlite 1.11.1 crashes on a finalized id while a later statement exists: the
    // connection refuses it locally.
    assertThatThrownBy(() -> leader.exec(db, insert.id(), List.of("x", 1)))
        .isInstanceOfSatisfying(
            DqliteException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCodes.SQLITE_NOTFOUND);
              assertThat(e.getMessage()).contains("already finalized");
            });
    leader.finalizeStatement(db, select.id());
    assertThat(query("SELECT count(*) FROM t")).containsExactly(List.of(5L));
    assertThat(leader.isClosed()).isFalse();
  }

  @Test
  void twoHundredFiftyFiveParametersWorkAndMoreAreRefusedBeforeSending() throws Exception {
    StringBuilder sql = new StringBuilder("SELECT 0");
    List<Object> params = new ArrayList<>();
    for (int i = 1; i <= 255; i++) {
      sql.append(" + ?");
      params.add((long) i);
    }
    assertThat(query(sql.toString(), params.toArray())).containsExactly(List.of(255L * 256 / 2));
    params.add(256L);
    assertThatThrownBy(() -> leader.querySql(db, sql + " + ?", params))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 255");
    assertThat(query("SELECT 1")).containsExactly(List.of(1L));
  }

  @Test
  void failuresCarrySqliteCodes() throws Exception {
    leader.execSql(db, "CREATE TABLE t (k TEXT UNIQUE)", List.of());
    leader.execSql(db, "INSERT INTO t VALUES ('a')", List.of());
    assertThatThrownBy(() -> leader.execSql(db, "INSERT INTO t VALUES ('a')", List.of()))
        .isInstanceOfSatisfying(
            DqliteException.class,
            e -> {
              assertThat(e.isConstraintViolation()).isTrue();
              assertThat(e.isRetryable()).isFalse();
              assertThat(e.getMessage()).contains("UNIQUE constraint failed: t.k");
            });
    assertThatThrownBy(() -> leader.execSql(db, "SELEC 1", List.of()))
        .isInstanceOfSatisfying(
            DqliteException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCodes.SQLITE_ERROR);
              assertThat(e.getMessage()).contains("syntax error");
            });
    assertThatThrownBy(() -> leader.querySql(db, "SELECT * FROM missing", List.of()))
        .isInstanceOf(DqliteException.class)
        .hasMessageContaining("no such table: missing");
    assertThatThrownBy(() -> leader.open("another"))
        .isInstanceOfSatisfying(
            DqliteException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.SQLITE_BUSY));
    assertThat(query("SELECT count(*) FROM t")).containsExactly(List.of(1L));
  }

  @Test
  void followersRefuseSqlAsNotLeader() throws Exception {
    String leaderAddress = leader.address();
    String follower =
        cluster.addresses().stream()
            .filter(a -> !a.equals(leaderAddress))
            .findFirst()
            .orElseThrow();
    try (ProtocolConnection c =
        ProtocolConnection.connect(
            cluster.connectorConfig().dialer(),
            follower,
            cluster.connectorConfig().dialTimeout(),
            cluster.connectorConfig().requestTimeout())) {
      int fdb = c.open("follower-test");
      assertThatThrownBy(() -> c.execSql(fdb, "CREATE TABLE x (a)", List.of()))
          .isInstanceOfSatisfying(
              DqliteException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCodes.SQLITE_IOERR_NOT_LEADER);
                assertThat(e.isLeadershipLost()).isTrue();
                assertThat(e.isRetryable()).isTrue();
                assertThat(e.address()).isEqualTo(follower);
              });
      assertThatThrownBy(() -> c.querySql(fdb, "SELECT 1", List.of()))
          .isInstanceOfSatisfying(
              DqliteException.class, e -> assertThat(e.isLeadershipLost()).isTrue());
    }
  }
}
