package io.dqlite.bench.sidecar;

import io.dqlite.bench.KvWorkload;
import io.dqlite.bench.LatencyStats;
import io.dqlite.client.jdbc.DqliteDataSource;
import io.dqlite.client.jdbc.DqliteTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client benchmark's kvwrite (go-dqlite v1.11.5 {@code benchmark/worker.go}: {@link
 * KvWorkload#WRITE_SQL} with a new random 32-letter key and a 1 KiB value), through one JDBC URL:
 * an app socket ({@code jdbc:dqlite://@name/db}) or a node's TCP address. Each worker holds one
 * connection with the INSERT prepared once and runs every write as a transaction through {@link
 * DqliteTransactions} (lazy BEGIN, INSERT, COMMIT), as the client benchmark and an application do.
 * A write's latency is the whole {@code inTransaction} call, retries included.
 */
final class WriteLoad {

  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /** What one run measured. */
  record Outcome(
      double seconds, long writes, long errors, long retries, LatencyStats latency,
      String firstError) {

    double writesPerSecond() {
      return seconds > 0 ? writes / seconds : 0;
    }
  }

  /**
   * @param url the JDBC URL every worker connects to
   * @param workers concurrent workers, each with its own connection
   * @param warmup run first, not measured (JIT warm-up); its errors still count
   * @param duration measured time
   * @param seed workers' random seeds derive from it
   */
  record Options(String url, int workers, Duration warmup, Duration duration, long seed) {}

  private final Options options;

  WriteLoad(Options options) {
    this.options = options;
  }

  /** Runs the load: the table is created if missing; workers stop starting writes at the end. */
  Outcome run(Runnable measuringStarts) throws SQLException, InterruptedException {
    DqliteDataSource dataSource = new DqliteDataSource(options.url());
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(KvWorkload.SCHEMA);
    }
    List<Worker> workers = new ArrayList<>();
    try {
      for (int i = 0; i < options.workers(); i++) {
        Worker w = new Worker(new Random(options.seed() * 1_000_003L + i));
        workers.add(w);
        w.open(dataSource);
      }
      long start = System.nanoTime();
      long measureFrom = start + options.warmup().toNanos();
      long end = measureFrom + options.duration().toNanos();
      CountDownLatch done = new CountDownLatch(workers.size());
      for (int i = 0; i < workers.size(); i++) {
        Worker w = workers.get(i);
        Thread t =
            new Thread(
                () -> {
                  try {
                    w.loop(measureFrom, end);
                  } finally {
                    done.countDown();
                  }
                },
                "sidecar-bench-worker-" + i);
        t.setDaemon(true);
        t.start();
      }
      long untilMeasuring = measureFrom - System.nanoTime();
      if (untilMeasuring > 0) {
        TimeUnit.NANOSECONDS.sleep(untilMeasuring);
      }
      measuringStarts.run();
      // Bounded: one write is bounded by the helper's 60 s timeout plus the request timeout.
      if (!done.await(end - System.nanoTime() + TimeUnit.SECONDS.toNanos(150),
          TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("workers did not stop within 150 s after the deadline");
      }
      double seconds = (System.nanoTime() - measureFrom) / 1e9;
      long[] all = new long[0];
      int n = 0;
      long errors = 0;
      long retries = 0;
      String firstError = null;
      for (Worker w : workers) {
        all = Arrays.copyOf(all, n + w.count);
        System.arraycopy(w.samples, 0, all, n, w.count);
        n += w.count;
        errors += w.errors;
        retries += w.retries;
        if (firstError == null) {
          firstError = w.firstError;
        }
      }
      return new Outcome(seconds, n, errors, retries, LatencyStats.of(all, n), firstError);
    } finally {
      for (Worker w : workers) {
        w.close();
      }
    }
  }

  private static String letters(Random random, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = LETTERS.charAt(random.nextInt(LETTERS.length()));
    }
    return new String(c);
  }

  /** go-dqlite's value: one random letter 512 times, then 512 random letters. */
  static String randomValue(Random random) {
    return String.valueOf(LETTERS.charAt(random.nextInt(LETTERS.length())))
            .repeat(KvWorkload.VALUE_SIZE / 2)
        + letters(random, KvWorkload.VALUE_SIZE / 2);
  }

  static String randomKey(Random random) {
    return letters(random, KvWorkload.KEY_SIZE);
  }

  private static final class Worker implements AutoCloseable {
    private final Random random;
    private Connection connection;
    private PreparedStatement write;
    long[] samples = new long[16 * 1024];
    int count;
    long errors;
    long retries;
    String firstError;

    Worker(Random random) {
      this.random = random;
    }

    void open(DqliteDataSource dataSource) throws SQLException {
      connection = dataSource.getConnection();
      write = connection.prepareStatement(KvWorkload.WRITE_SQL);
    }

    void loop(long measureFrom, long end) {
      for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
        boolean measured = now >= measureFrom;
        String key = randomKey(random);
        String value = randomValue(random);
        int[] attempts = {0};
        long t0 = System.nanoTime();
        try {
          DqliteTransactions.inTransaction(
              connection,
              DqliteTransactions.Policy.defaults(),
              c -> {
                attempts[0]++;
                write.setString(1, key);
                write.setString(2, value);
                return write.executeUpdate();
              });
        } catch (SQLException | RuntimeException e) {
          errors++;
          if (firstError == null) {
            firstError = e.getClass().getSimpleName() + ": " + e.getMessage();
          }
          continue;
        }
        long elapsed = System.nanoTime() - t0;
        if (measured) {
          if (count == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
          }
          samples[count++] = elapsed;
          retries += attempts[0] - 1;
        }
      }
    }

    @Override
    public void close() {
      try {
        if (connection != null) {
          connection.close();
        }
      } catch (SQLException e) {
        // Best effort at the end of a run.
      }
    }
  }
}
