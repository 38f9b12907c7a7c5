package io.dqlite.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC driver against a node that finds itself the leader and then answers every statement with
 * a mutated answer, noise or an answer of another type: whatever it sends, the application sees
 * values or {@link SQLException}s, never an unchecked exception, and nothing hangs. Runs for {@code
 * -Ddqlite.fuzz.millis} (default 1500), seed {@code -Ddqlite.fuzz.seed}.
 */
class HostileNodeJdbcFuzzTest {

  private static final Logger log = LoggerFactory.getLogger(HostileNodeJdbcFuzzTest.class);
  private static final long MILLIS = FuzzLoop.MILLIS;
  private static final long SEED = FuzzLoop.SEED;
  private static final List<Response> SEEDS = FuzzCorpus.responses();

  @Test
  void theApplicationSeesOnlySqlExceptions() throws Exception {
    log.info("hostile node under JDBC for {} ms, -Ddqlite.fuzz.seed={}", MILLIS, SEED);
    String[] self = new String[1];
    try (FakePeer peer = FakePeer.repeating(c -> answer(c, self[0]))) {
      self[0] = peer.address();
      String url =
          "jdbc:dqlite://"
              + peer.address()
              + "/app?requestTimeout=100&leaderTimeout=3000&busyTimeout=0&connectBackoffCap=5";
      int statements =
          assertTimeoutPreemptively(
              Duration.ofMillis(MILLIS).plusSeconds(120),
              () -> drive(url),
              () -> "a statement hung (seed " + SEED + ")");
      log.info("{} statements against a hostile node, none escaped", statements);
      assertThat(statements).isPositive();
    }
  }

  /** Leader, registration and open answered truly; everything else badly. */
  private static void answer(FakePeer.Conn c, String self) throws Exception {
    SplittableRandom random = new SplittableRandom(SEED ^ System.nanoTime());
    Mutator mutator = new Mutator(random.nextLong());
    c.readHandshake();
    while (true) {
      Request request;
      try {
        request = c.readRequest();
      } catch (Exception e) {
        return;
      }
      byte[] answer =
          switch (request.type()) {
            case LEADER -> new NodeResponse(1, self).encode();
            case CLIENT -> new WelcomeResponse(15000).encode();
            case OPEN -> new DbResponse(0).encode();
            default -> badly(request.type(), random, mutator);
          };
      try {
        c.send(answer);
      } catch (Exception e) {
        return;
      }
    }
  }

  private static byte[] badly(RequestType type, SplittableRandom random, Mutator mutator) {
    ResponseType wanted =
        switch (type) {
          case PREPARE -> ResponseType.STMT;
          case EXEC, EXEC_SQL -> ResponseType.RESULT;
          case QUERY, QUERY_SQL -> ResponseType.ROWS;
          default -> ResponseType.EMPTY;
        };
    List<byte[]> fitting = FuzzLoop.fitting(SEEDS, wanted);
    byte[] answer = fitting.get(random.nextInt(fitting.size()));
    int dice = random.nextInt(10);
    if (dice < 4) {
      return mutator.mutate(answer);
    } else if (dice == 4) {
      return SEEDS.get(random.nextInt(SEEDS.size())).encode();
    } else if (dice == 5) {
      return mutator.randomBytes(random.nextInt(24));
    }
    if (type == RequestType.QUERY
        || type == RequestType.QUERY_SQL
        || type == RequestType.INTERRUPT) {
      byte[] last = new RowsResponse(List.of("x"), List.of(), false).encode();
      return FakePeer.Conn.concat(answer, last, new EmptyResponse().encode());
    }
    return answer; // a valid answer: the driver gets further into its logic
  }

  private static int drive(String url) throws Exception {
    return FuzzLoop.drive(
        8,
        SQLException.class,
        new FuzzLoop.Target<Connection>() {
          @Override
          public Connection open() throws SQLException {
            return DriverManager.getConnection(url);
          }

          @Override
          public boolean isClosed(Connection c) throws SQLException {
            return c.isClosed();
          }

          @Override
          public void call(Connection c, int which) throws SQLException {
            run(c, which);
          }
        });
  }

  private static void run(Connection c, int which) throws SQLException {
    switch (which) {
      case 0, 1 -> {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT * FROM t")) {
          readAll(rs);
        }
      }
      case 2 -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM t WHERE a = ?")) {
          ps.setLong(1, 1);
          try (ResultSet rs = ps.executeQuery()) {
            readAll(rs);
          }
        }
      }
      case 3 -> {
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO t VALUES (1)", Statement.RETURN_GENERATED_KEYS);
          try (ResultSet keys = s.getGeneratedKeys()) {
            readAll(keys);
          }
        }
      }
      case 4 -> {
        try (PreparedStatement ps = c.prepareStatement("UPDATE t SET a = ?")) {
          ps.setString(1, "x");
          ps.addBatch();
          ps.addBatch();
          ps.executeBatch();
        }
      }
      case 5 -> {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement();
            PreparedStatement read = c.prepareStatement("SELECT a FROM t WHERE a = ?");
            PreparedStatement batch = c.prepareStatement("UPDATE t SET a = ?")) {
          // A BEGIN sent with its read, and a batch pipelined inside the transaction.
          read.setLong(1, 1);
          try (ResultSet rs = read.executeQuery()) {
            readAll(rs);
          }
          batch.setString(1, "x");
          batch.addBatch();
          batch.addBatch();
          batch.executeBatch();
          s.executeUpdate("DELETE FROM t");
          c.commit();
        } finally {
          try {
            c.rollback();
          } finally {
            c.setAutoCommit(true);
          }
        }
      }
      case 6 -> {
        try (Statement s = c.createStatement()) {
          if (s.execute("SELECT 1; SELECT 2")) {
            readAll(s.getResultSet());
          }
        }
      }
      default -> {
        try (ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
          readAll(rs);
        }
      }
    }
  }

  /** Every column of every row, the ways an application reads them. */
  private static void readAll(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    while (rs.next()) {
      for (int column = 1; column <= meta.getColumnCount(); column++) {
        int i = column;
        meta.getColumnType(i);
        meta.getColumnLabel(i);
        rs.getObject(i);
        rs.getString(i);
        tryGet(() -> rs.getLong(i));
        tryGet(() -> rs.getDouble(i));
        tryGet(() -> rs.getBytes(i));
        tryGet(() -> rs.getTimestamp(i));
        tryGet(() -> rs.getObject(i, OffsetDateTime.class));
        tryGet(() -> rs.getBigDecimal(i));
        tryGet(() -> rs.getBoolean(i));
      }
    }
  }

  private interface Getter {
    Object get() throws SQLException;
  }

  /** A getter may refuse a conversion, with an SQLException; nothing else. */
  private static void tryGet(Getter g) {
    try {
      g.get();
    } catch (SQLException refused) {
      // a value that does not convert
    }
  }
}
