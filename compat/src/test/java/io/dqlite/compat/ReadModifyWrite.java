package io.dqlite.compat;

import io.dqlite.client.jdbc.DqliteSqlState;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The suite's concurrency load, the same for every framework: {@code threads} threads each run
 * {@code units} units of work, each of which (in the framework's own transaction) reads its
 * thread's counter and the shared total, increments both, and inserts an event row keyed by
 * (thread, seq). The caller then checks the counters exactly.
 *
 * <p>Without a handover no unit may fail: any exception is an error. With a handover ({@link
 * #handoverAfter}), a unit that fails with a retryable SQLSTATE of the driver ({@code 40001},
 * {@code 08006}, {@code 08001}, {@code 55006}) is run again and the failure is counted by state;
 * one that fails with {@code 08007} (the COMMIT was in flight when the leader moved: it may have
 * committed) is looked up by its event row and run again only if it did not commit, which is what
 * an application must do for work that is not idempotent.
 */
public final class ReadModifyWrite {

  private static final Logger log = LoggerFactory.getLogger(ReadModifyWrite.class);
  private static final Duration DEADLINE = Duration.ofSeconds(150);
  private static final int MAX_ATTEMPTS = 10;

  /** One unit of work in the framework's transaction. */
  @FunctionalInterface
  public interface Unit {
    void run(int thread, int seq) throws Exception;
  }

  /** Whether the event row of (thread, seq) exists: the unit committed. */
  @FunctionalInterface
  public interface Committed {
    boolean test(int thread, int seq) throws Exception;
  }

  /** What a run did. */
  public record Result(
      int committed,
      Map<String, Integer> retriedByState,
      int committedDespiteUnknownOutcome,
      List<String> errors,
      Duration elapsed) {

    public int retries() {
      return retriedByState.values().stream().mapToInt(Integer::intValue).sum();
    }

    public double perSecond() {
      return committed * 1000.0 / Math.max(1, elapsed.toMillis());
    }
  }

  private final String name;
  private final int threads;
  private final int units;
  private ThreeNodes handoverCluster;
  private int handovers;

  ReadModifyWrite(String name, int threads, int units) {
    this.name = name;
    this.threads = threads;
    this.units = units;
  }

  /**
   * Hands leadership over {@code count} times during the run, evenly spaced by committed units (the
   * first after a quarter of them), and allows the retries described above.
   */
  ReadModifyWrite handoverAfter(ThreeNodes cluster, int count) {
    this.handoverCluster = cluster;
    this.handovers = count;
    return this;
  }

  Result run(Unit unit, Committed committed) throws Exception {
    AtomicInteger done = new AtomicInteger();
    AtomicInteger unknownButCommitted = new AtomicInteger();
    Map<String, Integer> retried = new ConcurrentHashMap<>();
    List<String> errors = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    long start = System.nanoTime();
    try {
      if (handoverCluster != null) {
        pool.submit(() -> handOver(done, errors));
      }
      for (int t = 0; t < threads; t++) {
        int thread = t;
        pool.submit(
            () -> {
              for (int seq = 0; seq < units && errors.size() < 10; seq++) {
                if (runOne(unit, committed, thread, seq, retried, unknownButCommitted, errors)) {
                  done.incrementAndGet();
                }
              }
            });
      }
      pool.shutdown();
      if (!pool.awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        errors.add(name + ": not finished within " + DEADLINE + " (" + done.get() + " committed)");
      }
    } finally {
      pool.shutdownNow();
    }
    Result r =
        new Result(
            done.get(),
            new TreeMap<>(retried),
            unknownButCommitted.get(),
            List.copyOf(errors),
            Duration.ofNanos(System.nanoTime() - start));
    log.info(
        "{}: {} threads x {} units, {} committed in {} ms ({} tx/s), handovers {}, retried {}, "
            + "unknown outcome but committed {}, errors {}",
        name,
        threads,
        units,
        r.committed(),
        r.elapsed().toMillis(),
        String.format("%.0f", r.perSecond()),
        handovers,
        r.retriedByState(),
        r.committedDespiteUnknownOutcome(),
        r.errors().size());
    return r;
  }

  private boolean runOne(
      Unit unit,
      Committed committed,
      int thread,
      int seq,
      Map<String, Integer> retried,
      AtomicInteger unknownButCommitted,
      List<String> errors) {
    for (int attempt = 1; ; attempt++) {
      try {
        unit.run(thread, seq);
        return true;
      } catch (Exception e) {
        String state = sqlState(e);
        boolean mayRetry = handoverCluster != null && attempt < MAX_ATTEMPTS;
        if (mayRetry && "08007".equals(state)) {
          retried.merge(state, 1, Integer::sum);
          try {
            if (committed.test(thread, seq)) {
              unknownButCommitted.incrementAndGet();
              return true;
            }
          } catch (Exception lookup) {
            retried.merge("lookup " + sqlState(lookup), 1, Integer::sum);
          }
          continue;
        }
        if (mayRetry && DqliteSqlState.isRetryable(e)) {
          retried.merge(state + " " + e.getClass().getSimpleName(), 1, Integer::sum);
          continue;
        }
        errors.add(name + " thread " + thread + " unit " + seq + ": " + describe(e));
        log.warn("{} thread {} unit {} failed", name, thread, seq, e);
        return false;
      }
    }
  }

  private void handOver(AtomicInteger done, List<String> errors) {
    int total = threads * units;
    try {
      for (int h = 0; h < handovers; h++) {
        int at = total * (h + 1) / (handovers + 2);
        while (done.get() < at && errors.isEmpty()) {
          Thread.sleep(5);
        }
        if (!errors.isEmpty()) {
          return;
        }
        handoverCluster.transferLeadership();
      }
    } catch (Exception e) {
      errors.add(name + ": handover failed: " + describe(e));
    }
  }

  /** The SQLSTATE of the first SQLException in {@code e}'s cause chain, or "none". */
  public static String sqlState(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    return "none";
  }

  public static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    }
    return sb.toString();
  }
}
