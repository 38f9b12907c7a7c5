package io.dqlite.bench.sidecar;

import io.dqlite.bench.KvWorkload;
import io.dqlite.bench.LatencyStats;
import io.dqlite.client.jdbc.DqliteDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Several paths to the same leader (app sockets, direct TCP) measured in one run by taking turns:
 * each path has its own workers, each with its own connection, and the paths run one at a time in
 * slices (2 s by default), their order rotating every round, until each path has had its measured
 * duration. Whatever else loads the machine then weighs on every path alike, which back-to-back
 * runs of 20 s each on a shared machine do not give (their ratio moved between 50 % and 125 % from
 * run to run). A slice ends when its last in-flight write completes; that time counts.
 *
 * <p>The CPU time of the sampled processes is read at every slice boundary and charged to the path
 * of the slice.
 */
final class Interleaved {

  /** One way to reach the leader: a label and a JDBC URL. */
  record Path(String name, String url) {}

  /**
   * @param warmup per path, unmeasured, before the measured rounds
   * @param duration measured time per path
   * @param slice how long one path runs before the next takes its turn
   * @param kind what each write is
   */
  record Options(
      List<Path> paths,
      int workers,
      Duration warmup,
      Duration duration,
      Duration slice,
      long seed,
      Writer.Kind kind) {}

  /** What one path measured, and the CPU milliseconds charged to it per sampled process. */
  record PathOutcome(Path path, WriteLoad.Outcome outcome, Map<String, Long> cpuMillis) {}

  private final Options options;

  Interleaved(Options options) {
    this.options = options;
  }

  List<PathOutcome> run(Map<String, Long> cpuPids, Runnable measuringStarts)
      throws SQLException, InterruptedException {
    int p = options.paths().size();
    List<List<Writer>> writers = new ArrayList<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            options.workers(),
            r -> {
              Thread t = new Thread(r, "sidecar-bench-worker");
              t.setDaemon(true);
              return t;
            });
    try {
      for (int i = 0; i < p; i++) {
        DqliteDataSource ds = new DqliteDataSource(options.paths().get(i).url());
        try (Connection c = ds.getConnection();
            Statement s = c.createStatement()) {
          s.execute(KvWorkload.SCHEMA);
        }
        List<Writer> ws = new ArrayList<>();
        writers.add(ws);
        for (int w = 0; w < options.workers(); w++) {
          Writer writer =
              new Writer(new Random(options.seed() * 1_000_003L + 1000L * i + w), options.kind());
          ws.add(writer);
          writer.open(ds);
        }
      }
      for (int i = 0; i < p; i++) {
        slice(pool, writers.get(i), options.warmup(), false);
      }
      measuringStarts.run();
      long[] nanos = new long[p];
      List<Map<String, Long>> cpu = new ArrayList<>();
      for (int i = 0; i < p; i++) {
        cpu.add(new LinkedHashMap<>());
      }
      long sliceNanos = options.slice().toNanos();
      int rounds = (int) Math.max(1, (options.duration().toNanos() + sliceNanos - 1) / sliceNanos);
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < p; k++) {
          int i = (r + k) % p;
          long left = options.duration().toNanos() - (long) r * sliceNanos;
          Duration d = Duration.ofNanos(Math.min(sliceNanos, left));
          Map<String, Long> before = cpuNow(cpuPids);
          nanos[i] += slice(pool, writers.get(i), d, true);
          Map<String, Long> after = cpuNow(cpuPids);
          for (String name : cpuPids.keySet()) {
            long a = before.get(name);
            long b = after.get(name);
            cpu.get(i).merge(name, a < 0 || b < 0 ? 0 : b - a, Long::sum);
          }
        }
      }
      List<PathOutcome> out = new ArrayList<>();
      for (int i = 0; i < p; i++) {
        out.add(
            new PathOutcome(
                options.paths().get(i), outcome(writers.get(i), nanos[i] / 1e9), cpu.get(i)));
      }
      return out;
    } finally {
      pool.shutdownNow();
      for (List<Writer> ws : writers) {
        ws.forEach(Writer::close);
      }
    }
  }

  /** Runs the writers for {@code d}; returns the slice's time, until its last write ended. */
  private static long slice(
      ExecutorService pool, List<Writer> writers, Duration d, boolean measured)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + d.toNanos();
    List<Future<?>> running = new ArrayList<>();
    for (Writer w : writers) {
      running.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  w.write(measured);
                }
              }));
    }
    for (Future<?> f : running) {
      try {
        // Bounded: one write is bounded by the helper's 60 s timeout plus the request timeout.
        f.get(d.toNanos() + TimeUnit.SECONDS.toNanos(150), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("a worker failed: " + e.getCause(), e.getCause());
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("a worker did not stop within 150 s after its slice");
      }
    }
    return System.nanoTime() - start;
  }

  private static Map<String, Long> cpuNow(Map<String, Long> pids) {
    Map<String, Long> m = new LinkedHashMap<>();
    pids.forEach((name, pid) -> m.put(name, RssSampler.cpuMillis(pid)));
    return m;
  }

  static WriteLoad.Outcome outcome(List<Writer> writers, double seconds) {
    long[] all = new long[0];
    int n = 0;
    long errors = 0;
    long retries = 0;
    String firstError = null;
    for (Writer w : writers) {
      all = Arrays.copyOf(all, n + w.count);
      System.arraycopy(w.samples, 0, all, n, w.count);
      n += w.count;
      errors += w.errors;
      retries += w.retries;
      if (firstError == null) {
        firstError = w.firstError;
      }
    }
    return new WriteLoad.Outcome(seconds, n, errors, retries, LatencyStats.of(all, n), firstError);
  }
}
