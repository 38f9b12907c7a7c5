package io.dqlite.e2e.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application writing all the time: one INSERT of a new id every {@code period} (fixed delay),
 * through a JDBC URL chosen by {@code urls} whenever it (re)connects (an app socket of a pod that
 * is up). A write is <em>acknowledged</em> when executeUpdate returned; a failed one is not, even
 * if its outcome is unknown (08007), and the next write uses the next id. Afterwards: the
 * acknowledged ids, the failures by SQLSTATE, and the longest time without an acknowledged write.
 */
public final class ContinuousWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ContinuousWriter.class);

  /** A gap at least this long is logged when it ends, so a run's log holds its timeline. */
  private static final long LOGGED_GAP_NANOS = 300_000_000L;

  private final Supplier<String> urls;
  private final String table;
  private final ScheduledExecutorService executor;
  private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> failures = new TreeMap<>();

  /** The first failure of each kind: when (seconds into the run), through which URL, and why. */
  private final Map<String, String> firstFailures = new TreeMap<>();

  private final long startNanos = System.nanoTime();
  private String currentUrl;
  private final GapTracker gaps;
  private long nextId = 1;
  private long lastSuccessNanos = startNanos;
  private Connection connection;
  private volatile boolean closed;

  private ContinuousWriter(Supplier<String> urls, String table) {
    this.urls = urls;
    this.table = table;
    this.gaps = new GapTracker(System.nanoTime());
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "e2e-writer-" + table);
              t.setDaemon(true);
              return t;
            });
  }

  /** Creates the table (id INTEGER PRIMARY KEY) through {@code setupUrl} and starts writing. */
  public static ContinuousWriter start(
      String setupUrl, Supplier<String> urls, String table, Duration period) throws SQLException {
    Sql.exec(
        setupUrl,
        "CREATE TABLE IF NOT EXISTS " + table + " (id INTEGER PRIMARY KEY, at TEXT NOT NULL)");
    ContinuousWriter w = new ContinuousWriter(urls, table);
    w.executor.scheduleWithFixedDelay(w::writeOne, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return w;
  }

  private void writeOne() {
    if (closed) {
      return;
    }
    long id = nextId++;
    try {
      if (connection == null) {
        String url = urls.get();
        if (url == null) {
          fail("no pod to write through", "no ready pod with an app socket");
          return;
        }
        currentUrl = url;
        long start = System.nanoTime();
        connection = Sql.connect(url);
        log.info("connected in {} ms through {}", (System.nanoTime() - start) / 1_000_000, url);
      }
      try (PreparedStatement ps =
          connection.prepareStatement("INSERT INTO " + table + " (id, at) VALUES (?, ?)")) {
        ps.setLong(1, id);
        ps.setString(2, Instant.now().toString());
        ps.executeUpdate();
      }
      acknowledged.add(id);
      long now = System.nanoTime();
      synchronized (gaps) {
        long since = now - lastSuccessNanos;
        if (since >= LOGGED_GAP_NANOS) {
          log.info(
              "write {} acknowledged after a gap of {} ms through {}",
              id,
              since / 1_000_000,
              currentUrl);
        }
        lastSuccessNanos = now;
        gaps.success(now);
      }
    } catch (SQLException e) {
      fail(
          e.getSQLState() == null ? e.getClass().getSimpleName() : e.getSQLState(), e.getMessage());
      closeConnection();
    } catch (RuntimeException e) {
      fail(e.getClass().getSimpleName(), e.getMessage());
      closeConnection();
    }
  }

  private synchronized void fail(String kind, String message) {
    log.info("write failed ({}) through {}: {}", kind, currentUrl, message);
    failures.merge(kind, 1, Integer::sum);
    firstFailures.computeIfAbsent(
        kind,
        k ->
            String.format(
                "at +%.1f s through %s: %s",
                (System.nanoTime() - startNanos) / 1e9, currentUrl, message));
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // broken anyway
      }
      connection = null;
    }
  }

  /** Stops writing (waits for a write in flight, bounded by the driver's request timeout). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnection();
    synchronized (gaps) {
      gaps.finish(System.nanoTime());
    }
  }

  /**
   * Starts the gap measurement anew, from now ({@link GapTracker#restart}): a test calls it once
   * the writer has written, so that its own first connection does not count as the fault's gap.
   */
  public void measureGapsFromNow() {
    synchronized (gaps) {
      gaps.restart(System.nanoTime());
    }
  }

  public Set<Long> acknowledged() {
    return Set.copyOf(acknowledged);
  }

  public synchronized Map<String, Integer> failures() {
    return Map.copyOf(failures);
  }

  public Duration longestGap() {
    synchronized (gaps) {
      return Duration.ofNanos(gaps.longestNanos());
    }
  }

  /** For the test output: counts, the longest gap, then the first failure of each kind. */
  public String report() {
    double endsAt;
    synchronized (gaps) {
      endsAt = (gaps.longestEndsAt() - startNanos) / 1e9;
    }
    StringBuilder s =
        new StringBuilder(
            String.format(
                "%d writes acknowledged, failures %s,"
                    + " longest gap without an acknowledged write %.1f s (ending at +%.1f s)",
                acknowledged.size(), failures(), longestGap().toMillis() / 1000.0, endsAt));
    synchronized (this) {
      firstFailures.forEach(
          (kind, first) -> s.append("\n  first ").append(kind).append(' ').append(first));
    }
    return s.toString();
  }
}
