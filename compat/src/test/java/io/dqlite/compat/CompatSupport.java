package io.dqlite.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What every framework test shares: the pool, and the read-modify-write load with its exact checks
 * (16 threads x 200 units, docs/frameworks.md).
 */
public final class CompatSupport {

  /** Threads of the concurrency load. */
  public static final int THREADS = 16;

  /** Units of work per thread. */
  public static final int UNITS = 200;

  /** Leadership handovers during the handover run. */
  public static final int HANDOVERS = 1;

  /** The counter row every unit of work increments besides its thread's own. */
  public static final int TOTAL = 1_000;

  /** HikariCP's pool size in the suite: what docs/frameworks.md recommends. */
  static final int POOL_SIZE = 8;

  private CompatSupport() {}

  /** A HikariCP pool of {@link #POOL_SIZE} on {@code url}. */
  public static HikariDataSource pool(String url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setPoolName("compat-" + url.substring(url.lastIndexOf('/') + 1));
    return new HikariDataSource(config);
  }

  /** The counter and event tables in plain SQL, for the frameworks that do not create them. */
  public static void createCounterTables(DataSource ds, int threads) throws SQLException {
    try (Connection c = ds.getConnection()) {
      createCounterTables(c, threads);
    }
  }

  /** {@link #createCounterTables(DataSource, int)} on a connection of the caller's. */
  public static void createCounterTables(Connection c, int threads) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL,"
              + " version INTEGER NOT NULL DEFAULT 0)");
      s.execute(
          "CREATE TABLE event (id INTEGER PRIMARY KEY, thread INTEGER NOT NULL,"
              + " seq INTEGER NOT NULL, at TIMESTAMP NOT NULL, UNIQUE (thread, seq))");
      seedCounters(c, threads);
    }
  }

  /** One counter row per thread, and the {@link #TOTAL} row, all zero. */
  public static void seedCounters(Connection c, int threads) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO counter (id, n, version) VALUES (?, 0, 0)")) {
      for (int t = 0; t < threads; t++) {
        ps.setInt(1, t);
        ps.addBatch();
      }
      ps.setInt(1, TOTAL);
      ps.addBatch();
      ps.executeBatch();
    }
  }

  /** Whether the unit (thread, seq) committed: its event row exists. */
  public static boolean eventExists(DataSource ds, int thread, int seq) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT count(*) FROM event WHERE thread = ? AND seq = ?")) {
      ps.setInt(1, thread);
      ps.setInt(2, seq);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 1;
      }
    }
  }

  /**
   * Every thread's counter is {@code units}, the total is {@code threads * units}, and there is
   * exactly one event per (thread, seq): nothing lost, nothing applied twice.
   */
  public static void assertExact(DataSource ds, int threads, int units) throws SQLException {
    Map<Integer, Long> counters = new HashMap<>();
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT id, n FROM counter")) {
        while (rs.next()) {
          counters.put(rs.getInt(1), rs.getLong(2));
        }
      }
      Map<Integer, Long> expected = new HashMap<>();
      for (int t = 0; t < threads; t++) {
        expected.put(t, (long) units);
      }
      expected.put(TOTAL, (long) threads * units);
      assertThat(counters).as("counters").isEqualTo(expected);
      try (ResultSet rs =
          s.executeQuery("SELECT count(*), count(DISTINCT thread * 100000 + seq) FROM event")) {
        rs.next();
        assertThat(rs.getLong(1)).as("events").isEqualTo((long) threads * units);
        assertThat(rs.getLong(2)).as("distinct events").isEqualTo((long) threads * units);
      }
    }
  }

  /** Closes what a test class opened, newest first. */
  public static void closeAll(List<AutoCloseable> resources) throws Exception {
    Exception first = null;
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    resources.clear();
    if (first != null) {
      throw first;
    }
  }

  /** A finished load: what it did, and the database it did it in. */
  public record Load(String name, ReadModifyWrite.Result result, String url) {}

  /** The unit of work of a framework: see {@link ReadModifyWrite}. */
  @FunctionalInterface
  public interface Unit extends ReadModifyWrite.Unit {}

  /**
   * Runs {@link #THREADS} x {@link #UNITS} units of {@code unit} on {@code database} (whose counter
   * rows exist), with {@link #HANDOVERS} leadership handovers when {@code handover}.
   */
  public static Load load(
      String framework, ThreeNodes cluster, boolean handover, String database, Unit unit)
      throws Exception {
    String url = cluster.url(database);
    try (HikariDataSource checks = pool(url)) {
      ReadModifyWrite rmw =
          new ReadModifyWrite(framework + (handover ? " with handover" : ""), THREADS, UNITS);
      if (handover) {
        rmw.handoverAfter(cluster, HANDOVERS);
      }
      ReadModifyWrite.Result r = rmw.run(unit, (t, s) -> eventExists(checks, t, s));
      return new Load(framework, r, url);
    }
  }

  /** Every unit committed at its first attempt, and the counters are exact. */
  public static void assertAllCommit(Load load) throws SQLException {
    ReadModifyWrite.Result r = load.result();
    assertThat(r.errors()).as(load.name() + " errors").isEmpty();
    assertThat(r.retries()).as(load.name() + " retries").isZero();
    assertThat(r.committed()).isEqualTo(THREADS * UNITS);
    try (HikariDataSource ds = pool(load.url())) {
      assertExact(ds, THREADS, UNITS);
    }
  }

  /**
   * Every unit committed, the counters are exact, and the retryable failures the framework saw are
   * few: at most {@link #THREADS} per handover (in practice one or two, docs/frameworks.md).
   */
  public static void assertAllCommitAcrossHandovers(Load load) throws SQLException {
    ReadModifyWrite.Result r = load.result();
    assertThat(r.errors()).as(load.name() + " errors").isEmpty();
    assertThat(r.committed()).isEqualTo(THREADS * UNITS);
    assertThat(r.retries())
        .as(load.name() + " retried " + r.retriedByState())
        .isLessThanOrEqualTo(THREADS * HANDOVERS);
    try (HikariDataSource ds = pool(load.url())) {
      assertExact(ds, THREADS, UNITS);
    }
  }
}
