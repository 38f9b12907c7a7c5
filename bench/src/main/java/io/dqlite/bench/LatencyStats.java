package io.dqlite.bench;

import java.util.Arrays;

/**
 * Exact latency statistics over every recorded sample: count, mean, nearest-rank percentiles and
 * maximum, in milliseconds. The same code summarises this client's samples and the per-operation
 * latencies dqlite-benchmark writes to its result files, so both sides are computed alike.
 *
 * @param count samples
 * @param avgMs arithmetic mean
 * @param p50Ms median (nearest rank)
 * @param p95Ms 95th percentile (nearest rank)
 * @param p99Ms 99th percentile (nearest rank)
 * @param maxMs largest sample
 */
public record LatencyStats(
    long count, double avgMs, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

  /** No samples: every figure is 0. */
  public static final LatencyStats EMPTY = new LatencyStats(0, 0, 0, 0, 0, 0);

  /** Statistics of the first {@code n} samples of {@code nanos}, which is left unchanged. */
  public static LatencyStats of(long[] nanos, int n) {
    if (n < 0 || n > nanos.length) {
      throw new IllegalArgumentException("n = " + n + " outside [0, " + nanos.length + "]");
    }
    if (n == 0) {
      return EMPTY;
    }
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    double sum = 0;
    for (long v : sorted) {
      sum += v;
    }
    return new LatencyStats(
        n,
        ms(sum / n),
        ms(percentile(sorted, 50)),
        ms(percentile(sorted, 95)),
        ms(percentile(sorted, 99)),
        ms(sorted[n - 1]));
  }

  /**
   * The nearest-rank percentile of sorted samples: the smallest sample such that at least {@code p}
   * percent of the samples are at or below it.
   *
   * @param p in (0, 100]
   */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    // The rank is computed in integer arithmetic where possible so that 99% of 100 is exactly 99.
    long rank = (long) Math.ceil(p * sorted.length / 100.0 - 1e-9);
    int index = (int) Math.max(0, Math.min(sorted.length - 1, rank - 1));
    return sorted[index];
  }

  private static double ms(double nanos) {
    return nanos / 1e6;
  }
}
