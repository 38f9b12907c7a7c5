package io.dqlite.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of one benchmark run, by either implementation, as one tab-separated line (so that
 * bench/run.sh can collect runs of both sides in one file for {@link Report}).
 *
 * @param impl "go" (dqlite-benchmark) or "java" (this client)
 * @param workload kvwrite or kvreadwrite
 * @param workers concurrent workers
 * @param placement "leader" or "non-leader": where the driver was (see docs/benchmarks.md)
 * @param seconds measured duration
 * @param writes successful writes
 * @param reads successful reads
 * @param errors failed operations surfaced to the caller
 * @param retries attempts the transaction helper retried and absorbed (java), -1 when not known
 * @param firstError one error message, "-" when none
 * @param write latency of successful writes, as the caller saw it (retries included)
 * @param writeP99UntilSuccessMs p99 write latency had every busy write been retried until it
 *     succeeded: for go computed from its error times (GoResults.untilSuccess), for Java the same
 *     as {@code write}'s p99
 * @param read latency of successful reads
 */
public record Result(
    String impl,
    KvWorkload workload,
    int workers,
    String placement,
    double seconds,
    long writes,
    long reads,
    long errors,
    long retries,
    String firstError,
    LatencyStats write,
    double writeP99UntilSuccessMs,
    LatencyStats read) {

  public static final String HEADER =
      String.join(
          "\t",
          "impl",
          "workload",
          "workers",
          "placement",
          "seconds",
          "writes",
          "reads",
          "errors",
          "retries",
          "w_avg_ms",
          "w_p50_ms",
          "w_p95_ms",
          "w_p99_ms",
          "w_max_ms",
          "r_avg_ms",
          "r_p50_ms",
          "r_p95_ms",
          "r_p99_ms",
          "r_max_ms",
          "w_p99_until_success_ms",
          "first_error");

  public double writesPerSecond() {
    return seconds > 0 ? writes / seconds : 0;
  }

  public double readsPerSecond() {
    return seconds > 0 ? reads / seconds : 0;
  }

  /** The key of the configuration this run belongs to, shared by both implementations. */
  public String config() {
    return workload.flag() + "/" + workers + "/" + placement;
  }

  public String toTsv() {
    List<String> f = new ArrayList<>();
    f.add(impl);
    f.add(workload.flag());
    f.add(Integer.toString(workers));
    f.add(placement);
    f.add(num(seconds));
    f.add(Long.toString(writes));
    f.add(Long.toString(reads));
    f.add(Long.toString(errors));
    f.add(Long.toString(retries));
    for (LatencyStats s : List.of(write, read)) {
      f.add(num(s.avgMs()));
      f.add(num(s.p50Ms()));
      f.add(num(s.p95Ms()));
      f.add(num(s.p99Ms()));
      f.add(num(s.maxMs()));
    }
    f.add(num(writeP99UntilSuccessMs));
    f.add(clean(firstError));
    return String.join("\t", f);
  }

  public static Result parseTsv(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 21) {
      throw new IllegalArgumentException(
          "a result line has 21 tab-separated fields, got " + f.length + ": " + line);
    }
    long writes = Long.parseLong(f[5]);
    long reads = Long.parseLong(f[6]);
    return new Result(
        f[0],
        KvWorkload.parse(f[1]),
        Integer.parseInt(f[2]),
        f[3],
        Double.parseDouble(f[4]),
        writes,
        reads,
        Long.parseLong(f[7]),
        Long.parseLong(f[8]),
        f[20],
        stats(writes, f, 9),
        Double.parseDouble(f[19]),
        stats(reads, f, 14));
  }

  private static LatencyStats stats(long count, String[] f, int at) {
    return new LatencyStats(
        count,
        Double.parseDouble(f[at]),
        Double.parseDouble(f[at + 1]),
        Double.parseDouble(f[at + 2]),
        Double.parseDouble(f[at + 3]),
        Double.parseDouble(f[at + 4]));
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String clean(String s) {
    if (s == null || s.isBlank()) {
      return "-";
    }
    String one = s.replaceAll("[\\t\\r\\n]+", " ").strip();
    return one.length() > 200 ? one.substring(0, 200) + "…" : one;
  }
}
