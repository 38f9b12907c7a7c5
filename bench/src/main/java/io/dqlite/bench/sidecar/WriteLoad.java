package io.dqlite.bench.sidecar;

import io.dqlite.bench.KvWorkload;
import io.dqlite.bench.LatencyStats;
import io.dqlite.client.jdbc.DqliteDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client benchmark's kvwrite (go-dqlite v1.11.5 {@code benchmark/worker.go}: {@link
 * KvWorkload#WRITE_SQL} with a random 32-letter key and a 1 KiB value), through one JDBC URL: an
 * app socket ({@code jdbc:dqlite://@name/db}) or a node's TCP address, for a duration, as fast as
 * the workers go or paced at a fixed rate. Each worker is a {@link Writer}: one connection, the
 * INSERT prepared once, every write a transaction or an auto-commit request ({@link Writer.Kind}).
 */
final class WriteLoad {

  /** What one run measured. */
  record Outcome(
      double seconds,
      long writes,
      long errors,
      long retries,
      LatencyStats latency,
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
   * @param ratePerSecond writes per second of all workers together, paced evenly (a late write goes
   *     at once, without a burst to catch up beyond it); 0: as fast as they go
   * @param kind what each write is
   */
  record Options(
      String url,
      int workers,
      Duration warmup,
      Duration duration,
      long seed,
      double ratePerSecond,
      Writer.Kind kind) {}

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
        Worker w = new Worker(new Random(options.seed() * 1_000_003L + i), options.kind());
        workers.add(w);
        w.open(dataSource);
      }
      long start = System.nanoTime();
      long measureFrom = start + options.warmup().toNanos();
      long end = measureFrom + options.duration().toNanos();
      // Each worker writes every `interval`, the workers staggered across it.
      long interval =
          options.ratePerSecond() > 0 ? (long) (1e9 * workers.size() / options.ratePerSecond()) : 0;
      CountDownLatch done = new CountDownLatch(workers.size());
      for (int i = 0; i < workers.size(); i++) {
        Worker w = workers.get(i);
        long first = start + interval * i / workers.size();
        Thread t =
            new Thread(
                () -> {
                  try {
                    w.loop(measureFrom, end, first, interval);
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
      if (!done.await(
          end - System.nanoTime() + TimeUnit.SECONDS.toNanos(150), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("workers did not stop within 150 s after the deadline");
      }
      double seconds = (System.nanoTime() - measureFrom) / 1e9;
      return Interleaved.outcome(new ArrayList<Writer>(workers), seconds);
    } finally {
      for (Worker w : workers) {
        w.close();
      }
    }
  }

  private static final class Worker extends Writer {

    Worker(Random random, Writer.Kind kind) {
      super(random, kind);
    }

    void loop(long measureFrom, long end, long first, long interval) {
      long next = first;
      for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
        if (interval > 0) {
          if (next - now > 0) {
            try {
              TimeUnit.NANOSECONDS.sleep(next - now);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
            now = System.nanoTime();
            if (now >= end) {
              return;
            }
          }
          next = Math.max(next + interval, now);
        }
        write(now >= measureFrom);
      }
    }
  }
}
