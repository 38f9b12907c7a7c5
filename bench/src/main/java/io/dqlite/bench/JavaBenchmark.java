package io.dqlite.bench;

import io.dqlite.client.jdbc.DqliteConnection;
import io.dqlite.client.jdbc.DqliteDataSource;
import io.dqlite.client.jdbc.DqliteTransactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a {@link KvWorkload} through this project's JDBC driver, the way an application would: each
 * worker holds one JDBC connection with the two statements prepared once, and runs every write
 * through {@link DqliteTransactions} (which retries busy, locked and leadership-lost work with
 * bounded, jittered back-off): as a transaction, or in auto-commit mode ({@link WriteMode}); reads
 * are plain queries outside a transaction, as go's {@code QueryRow}. The driver's writer queue is
 * on (its default), so the workers of this JVM take turns for the write lock.
 *
 * <p>A write's latency is the whole {@code inTransaction} call, retries and back-off included: the
 * time the caller waited. Errors are the exceptions that reached the caller.
 */
final class JavaBenchmark {

  record Options(
      String url,
      KvWorkload workload,
      int workers,
      Duration duration,
      Duration warmup,
      WriteMode mode,
      DqliteTransactions.Policy policy,
      String placement,
      long seed) {}

  private final Options options;

  JavaBenchmark(Options options) {
    this.options = options;
  }

  RunData run() throws SQLException, InterruptedException {
    DqliteDataSource dataSource = new DqliteDataSource(options.url());
    try (Connection c = dataSource.getConnection();
        var s = c.createStatement()) {
      s.execute(KvWorkload.SCHEMA);
    }
    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < options.workers(); i++) {
      workers.add(new Worker(dataSource, new Random(options.seed() * 1_000_003L + i)));
    }
    try {
      for (Worker w : workers) {
        w.open();
      }
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long start = System.nanoTime();
      long measureFrom = start + options.warmup().toNanos();
      long end = measureFrom + options.duration().toNanos();
      CountDownLatch done = new CountDownLatch(workers.size());
      List<Thread> threads = new ArrayList<>();
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
                "bench-worker-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      long cpuAtStart = cpuAt(os, measureFrom);
      // Bounded: each worker stops starting operations at `end`; one operation is bounded by the
      // transaction helper's own timeout (60 s) plus the driver's request timeout.
      long grace = TimeUnit.SECONDS.toNanos(150);
      if (!done.await(end - System.nanoTime() + grace, TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("workers did not stop within 150 s after the deadline");
      }
      long cpuNanos = os.getProcessCpuTime() - cpuAtStart;
      RunData data = new RunData();
      data.seconds = (System.nanoTime() - measureFrom) / 1e9;
      for (Worker w : workers) {
        data.writes.addAll(w.writes);
        data.reads.addAll(w.reads);
        data.errors += w.errors;
        data.retries += w.retries;
        if (data.firstError == null) {
          data.firstError = w.firstError.get();
        }
        String now = w.leader();
        if (w.leaderAtStart != null && !w.leaderAtStart.equals(now)) {
          System.err.printf(
              "WARNING: the leader moved during the run, from %s to %s%n", w.leaderAtStart, now);
        }
      }
      long ops = data.writes.size() + data.reads.size();
      System.err.printf(
          java.util.Locale.ROOT,
          "java client process CPU: %.0f us per operation (JIT, GC and all threads; %d"
              + " operations measured)%n",
          ops == 0 ? 0.0 : cpuNanos / 1e3 / ops,
          ops);
      return data;
    } finally {
      for (Worker w : workers) {
        w.close();
      }
    }
  }

  /** The process's CPU time once {@code at} (a nanoTime) is reached: sleeps until then. */
  private static long cpuAt(com.sun.management.OperatingSystemMXBean os, long at)
      throws InterruptedException {
    long wait = at - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
    return os.getProcessCpuTime();
  }

  private final class Worker implements AutoCloseable {
    private final DqliteDataSource dataSource;
    private final Random random;
    private final List<String> keys = new ArrayList<>();
    final Samples writes = new Samples();
    final Samples reads = new Samples();
    long errors;
    long retries;
    final AtomicReference<String> firstError = new AtomicReference<>();
    private Connection connection;
    private PreparedStatement write;
    private PreparedStatement read;

    Worker(DqliteDataSource dataSource, Random random) {
      this.dataSource = dataSource;
      this.random = random;
    }

    String leaderAtStart;

    void open() throws SQLException {
      connection = dataSource.getConnection();
      write = connection.prepareStatement(KvWorkload.WRITE_SQL);
      read = connection.prepareStatement(KvWorkload.READ_SQL);
      leaderAtStart = leader();
    }

    /** The leader this worker's connection is on, or null while it is disconnected. */
    String leader() {
      try {
        return connection.unwrap(DqliteConnection.class).leaderAddress();
      } catch (SQLException e) {
        return null;
      }
    }

    void loop(long measureFrom, long end) {
      for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
        boolean measured = now >= measureFrom;
        try {
          if (options.workload().nextIsRead(random, keys)) {
            readOne(measured);
          } else {
            writeOne(measured);
          }
        } catch (SQLException | RuntimeException e) {
          errors++;
          firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
    }

    private void writeOne(boolean measured) throws SQLException {
      String key = KvWorkload.randomKey(random);
      String value = KvWorkload.randomValue(random);
      long t0 = System.nanoTime();
      int attempts = options.mode().insert(connection, options.policy(), write, key, value);
      long elapsed = System.nanoTime() - t0;
      keys.add(key);
      if (measured) {
        writes.add(elapsed);
        retries += attempts - 1;
      }
    }

    private void readOne(boolean measured) throws SQLException {
      String key = keys.get(random.nextInt(keys.size()));
      long t0 = System.nanoTime();
      read.setString(1, key);
      try (ResultSet rs = read.executeQuery()) {
        if (!rs.next() || rs.getString(1) == null) {
          throw new SQLException("key " + key + " written by this worker was not found");
        }
      }
      long elapsed = System.nanoTime() - t0;
      if (measured) {
        reads.add(elapsed);
      }
    }

    @Override
    public void close() {
      try {
        if (connection != null) {
          connection.close();
        }
      } catch (SQLException e) {
        // best effort at the end of a run
      }
    }
  }
}
