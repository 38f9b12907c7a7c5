package io.dqlite.bench.rmw;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.RequestType;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;

/**
 * The framework workload of {@code bench/framework.sh}, Java side: Hibernate units of work behind
 * HikariCP (pool of 8) with the settings docs/frameworks.md recommends, each reading the worker's
 * counter and the shared total, incrementing both and persisting an event, with no retry code; any
 * exception is counted as an error. Prints one JSON line, as go's rmw-bench does.
 *
 * <p>Arguments: nodes (comma-separated), database, workers, warm-up seconds, measured seconds.
 */
public final class HibernateRmw {

  private static final int TOTAL = 1000;

  private HibernateRmw() {}

  /**
   * The protocol requests sent per committed unit of work since {@code before}, by type, e.g.
   * {@code "7.00 = exec-sql 2.00, exec 3.00, query 2.00 in 5.00 round trips"} (requests sent in one
   * write count as one round trip).
   */
  static String perUnit(Map<RequestType, Long> before, long roundTripsBefore, long units) {
    if (units <= 0) {
      return "-";
    }
    StringBuilder types = new StringBuilder();
    long total = 0;
    for (Map.Entry<RequestType, Long> e : ProtocolConnection.requestsSent().entrySet()) {
      long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (n > 0) {
        total += n;
        types.append(types.length() == 0 ? "" : ", ");
        types.append(String.format(Locale.ROOT, "%s %.2f", e.getKey(), (double) n / units));
      }
    }
    return String.format(
        Locale.ROOT,
        "%.2f = %s in %.2f round trips",
        (double) total / units,
        types,
        (double) (ProtocolConnection.roundTrips() - roundTripsBefore) / units);
  }

  /**
   * CPU time of this whole JVM (every thread: workers, JIT compilers, GC), in nanoseconds, or 0
   * where the platform does not tell.
   */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }

  /** Milliseconds the JIT compilers have worked so far (0 where not monitored). */
  static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : 0;
  }

  public static void main(String[] args) throws Exception {
    String url = "jdbc:dqlite://" + args[0] + "/" + args[1];
    int workers = Integer.parseInt(args[2]);
    long warmupMs = Long.parseLong(args[3]) * 1000;
    long durationMs = Long.parseLong(args[4]) * 1000;
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(8);
    try (HikariDataSource ds = new HikariDataSource(pool);
        SessionFactory sf =
            new MetadataSources(
                    new StandardServiceRegistryBuilder()
                        .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, ds)
                        .applySetting(
                            AvailableSettings.DIALECT,
                            "org.hibernate.community.dialect.SQLiteDialect")
                        .applySetting("hibernate.column_ordering_strategy", "legacy")
                        .applySetting(AvailableSettings.STATEMENT_BATCH_SIZE, 50)
                        .applySetting(AvailableSettings.HBM2DDL_AUTO, "create")
                        .build())
                .addAnnotatedClasses(RmwCounter.class, RmwEvent.class)
                .buildMetadata()
                .buildSessionFactory()) {
      sf.inTransaction(
          s -> {
            for (int w = 0; w < workers; w++) {
              s.persist(new RmwCounter(w));
            }
            s.persist(new RmwCounter(TOTAL));
          });
      AtomicBoolean measuring = new AtomicBoolean();
      AtomicLong errors = new AtomicLong();
      AtomicLong committed = new AtomicLong();
      AtomicLong seq = new AtomicLong();
      AtomicReference<String> firstError = new AtomicReference<>();
      List<List<Long>> latencies = new ArrayList<>();
      long stop = System.nanoTime() + (warmupMs + durationMs) * 1_000_000;
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int worker = w;
        List<Long> mine = new ArrayList<>();
        latencies.add(mine);
        Thread t =
            new Thread(
                () -> {
                  while (System.nanoTime() < stop) {
                    long start = System.nanoTime();
                    long s = seq.incrementAndGet();
                    try {
                      sf.inTransaction(
                          session -> {
                            RmwCounter c = session.find(RmwCounter.class, worker);
                            RmwCounter total = session.find(RmwCounter.class, TOTAL);
                            c.n++;
                            total.n++;
                            session.persist(new RmwEvent(worker, s, Instant.now()));
                          });
                      committed.incrementAndGet();
                      if (measuring.get()) {
                        mine.add(System.nanoTime() - start);
                      }
                    } catch (RuntimeException e) {
                      errors.incrementAndGet();
                      firstError.compareAndSet(null, String.valueOf(e.getMessage()));
                    }
                  }
                },
                "rmw-" + w);
        threads.add(t);
        t.start();
      }
      Thread.sleep(warmupMs);
      Map<RequestType, Long> before = ProtocolConnection.requestsSent();
      long roundTripsBefore = ProtocolConnection.roundTrips();
      long cpuBefore = processCpuNanos();
      long jitBefore = jitMillis();
      long committedBefore = committed.get();
      measuring.set(true);
      for (Thread t : threads) {
        t.join();
      }
      long units = committed.get() - committedBefore;
      String perUnit = perUnit(before, roundTripsBefore, units);
      double cpuMsPerUnit = units <= 0 ? 0 : (processCpuNanos() - cpuBefore) / 1e6 / units;
      long jitMs = jitMillis() - jitBefore;
      List<Long> all = new ArrayList<>();
      latencies.forEach(all::addAll);
      Collections.sort(all);
      double p50 = all.isEmpty() ? 0 : all.get(all.size() * 50 / 100) / 1e6;
      double p99 =
          all.isEmpty() ? 0 : all.get(Math.min(all.size() - 1, all.size() * 99 / 100)) / 1e6;
      String err = firstError.get() == null ? "" : firstError.get().replace("\"", "'");
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"impl\":\"java\",\"workers\":%d,\"committed\":%d,\"txPerSec\":%.1f,\"p50Ms\":%.3f,"
                  + "\"p99Ms\":%.3f,\"retried\":0,\"errors\":%d,\"firstError\":\"%s\","
                  + "\"requestsPerUnit\":\"%s\",\"cpuMsPerUnit\":%.3f,\"jitMs\":%d}",
              workers,
              all.size(),
              all.size() * 1000.0 / durationMs,
              p50,
              p99,
              errors.get(),
              err,
              perUnit,
              cpuMsPerUnit,
              jitMs));
    }
  }
}
