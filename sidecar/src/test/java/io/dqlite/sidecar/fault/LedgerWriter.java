package io.dqlite.sidecar.fault;

import ch.qos.logback.classic.Level;
import io.dqlite.client.jdbc.DqliteSqlState;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger writer: a small application process, run inside a node's network namespace, that
 * appends numbered rows through that node's app socket with the project's JDBC driver, one
 * auto-commit INSERT at a time, and logs each outcome to a file, flushed line by line:
 *
 * <ul>
 *   <li>{@code ack N MILLIS}: the INSERT of N returned; the row must be there exactly once.
 *   <li>{@code retry N SQLSTATE}: a failure that says nothing was applied (the driver's retryable
 *       states: no leader, refused while leadership moved, busy; or no URL to connect to at all,
 *       {@code none}); N is written again.
 *   <li>{@code maybe N MILLIS SQLSTATE message}: any other failure (08007: the COMMIT was in flight
 *       when the leader was lost; 57014: the request timed out). N may or may not be there; it is
 *       not written again, as an application that must not duplicate would not, and the writer goes
 *       on with N+1.
 * </ul>
 *
 * <p>The table has no unique constraint on N, so a write applied twice shows up as a duplicate. The
 * writer stops at end of input on stdin, after {@code maxRows} rows or after {@code maxSeconds},
 * whichever comes first. It paces itself to {@code rate} writes per second so that the load stays
 * the same from fault to fault on a shared 2-core machine.
 *
 * <p>Arguments: {@code SOCKET TABLE LOG MAX_ROWS MAX_SECONDS RATE PAYLOAD_BYTES} (each row also
 * carries a blob of that many bytes, so that a scenario can grow the raft log quickly).
 *
 * <p>The loop itself, {@link #write}, also serves the e2e suite's control-plane faults, which run
 * it on a thread of the test JVM with a URL chosen anew at each reconnection (the app socket of a
 * pod that is up: a pod's socket path goes away with the pod).
 */
public final class LedgerWriter {

  /** What an application would set: a request the node does not answer in 5 s is given up. */
  static final String URL_PROPERTIES = "?requestTimeout=5000&leaderTimeout=10000";

  /**
   * Bounds and pace of one writer.
   *
   * @param maxRows the last number written
   * @param maxTime how long it writes at most
   * @param ratePerSecond writes (and retries) per second at most
   * @param payloadBytes the size of each row's blob
   */
  public record Limits(long maxRows, Duration maxTime, int ratePerSecond, int payloadBytes) {}

  private LedgerWriter() {}

  public static void main(String[] args) throws Exception {
    String socket = args[0];
    String table = args[1];
    String logFile = args[2];
    Limits limits =
        new Limits(
            Long.parseLong(args[3]),
            Duration.ofSeconds(Long.parseLong(args[4])),
            Integer.parseInt(args[5]),
            Integer.parseInt(args[6]));
    String url = "jdbc:dqlite://" + socket + "/ledger" + URL_PROPERTIES;
    // The outcome of every write goes to the log file; the driver's own chatter is not needed.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.WARN);

    AtomicBoolean stop = new AtomicBoolean();
    Thread stdin =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // The test closes stdin to stop the writer.
                }
              } catch (IOException e) {
                // Stdin gone: stop as well.
              }
              stop.set(true);
            },
            "stdin");
    stdin.setDaemon(true);
    stdin.start();

    try (PrintStream log =
        new PrintStream(new FileOutputStream(logFile, true), true, StandardCharsets.UTF_8)) {
      write(() -> url, table, log, limits, stop::get);
    }
  }

  /**
   * Creates {@code table} if needed, then appends rows 1, 2, … until {@code stop} says so or a
   * limit is reached, logging every outcome to {@code log} (the format above) and {@code end N
   * MILLIS} last. {@code urls} is asked for a JDBC URL at every (re)connection; null means none is
   * available now (logged as a retry).
   *
   * @throws SQLException when the table cannot be created within the time limit
   */
  public static void write(
      Supplier<String> urls, String table, PrintStream log, Limits limits, BooleanSupplier stop)
      throws SQLException {
    long deadline = System.nanoTime() + limits.maxTime().toNanos();
    long periodNanos = TimeUnit.SECONDS.toNanos(1) / limits.ratePerSecond();
    byte[] payload = new byte[limits.payloadBytes()];
    createTable(urls, table, deadline, log);
    Connection c = null;
    long n = 1;
    long next = System.nanoTime();
    String insert = "INSERT INTO " + table + " (n, at, payload) VALUES (?, ?, ?)";
    while (!stop.getAsBoolean() && n <= limits.maxRows() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(next - System.nanoTime());
      next = Math.max(next + periodNanos, System.nanoTime());
      try {
        if (c == null) {
          String url = urls.get();
          if (url == null) {
            log.println("retry " + n + " none");
            continue;
          }
          c = DriverManager.getConnection(url);
        }
        try (PreparedStatement ps = c.prepareStatement(insert)) {
          ps.setLong(1, n);
          ps.setLong(2, System.currentTimeMillis());
          ps.setBytes(3, payload);
          ps.executeUpdate();
        }
        log.println("ack " + n + " " + System.currentTimeMillis());
        n++;
      } catch (SQLException e) {
        c = closeQuietly(c);
        if (DqliteSqlState.isRetryable(e)) {
          log.println("retry " + n + " " + e.getSQLState());
        } else {
          log.println(
              "maybe "
                  + n
                  + " "
                  + System.currentTimeMillis()
                  + " "
                  + e.getSQLState()
                  + " "
                  + oneLine(e.getMessage()));
          n++;
        }
      }
    }
    closeQuietly(c);
    log.println("end " + (n - 1) + " " + System.currentTimeMillis());
  }

  private static void createTable(
      Supplier<String> urls, String table, long deadline, PrintStream log) throws SQLException {
    String ddl =
        "CREATE TABLE IF NOT EXISTS "
            + table
            + " (n INTEGER NOT NULL, at INTEGER NOT NULL, payload BLOB NOT NULL)";
    while (true) {
      String url = urls.get();
      try (Connection c = DriverManager.getConnection(url)) {
        c.createStatement().execute(ddl);
        log.println("table " + table);
        return;
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        log.println("retry 0 " + e.getSQLState());
        LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      }
    }
  }

  private static Connection closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Already broken: that is why it is being closed.
      }
    }
    return null;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
  }
}
