package io.dqlite.bench.sidecar;

import java.util.Locale;

/**
 * The result lines bench/sidecar.sh collects in one file, tab-separated: a {@link Run} per workload
 * run and an {@link Rss} per process sampled during it.
 */
sealed interface Line {

  /** The cluster a run went to: "sidecar" or "dqlite-demo". */
  String cluster();

  /** How the client reached the leader: socket-non-leader, socket-leader, tcp-leader. */
  String path();

  int workers();

  String toTsv();

  static Line parse(String tsv) {
    String[] f = tsv.split("\t", -1);
    switch (f[0]) {
      case "run" -> {
        need(f, 14, tsv);
        return new Run(
            f[1],
            f[2],
            Integer.parseInt(f[3]),
            Double.parseDouble(f[4]),
            Long.parseLong(f[5]),
            Long.parseLong(f[6]),
            Long.parseLong(f[7]),
            Double.parseDouble(f[8]),
            Double.parseDouble(f[9]),
            Double.parseDouble(f[10]),
            Double.parseDouble(f[11]),
            f[12],
            f[13]);
      }
      case "rss" -> {
        need(f, 10, tsv);
        return new Rss(
            f[1],
            f[2],
            Integer.parseInt(f[3]),
            f[4],
            Long.parseLong(f[5]),
            Long.parseLong(f[6]),
            Long.parseLong(f[7]),
            Long.parseLong(f[8]),
            Long.parseLong(f[9]));
      }
      default -> throw new IllegalArgumentException("not a sidecar benchmark line: " + tsv);
    }
  }

  private static void need(String[] f, int n, String tsv) {
    if (f.length != n) {
      throw new IllegalArgumentException(
          "a " + f[0] + " line has " + n + " fields, got " + f.length + ": " + tsv);
    }
  }

  /**
   * One workload run.
   *
   * @param seconds measured time
   * @param writes successful writes in it
   * @param errors writes that failed (warm-up included)
   * @param retries attempts the transaction helper retried
   * @param load load average (1 min) when the run ended
   * @param firstError one error message, "-" when none
   */
  record Run(
      String cluster,
      String path,
      int workers,
      double seconds,
      long writes,
      long errors,
      long retries,
      double avgMs,
      double p50Ms,
      double p99Ms,
      double maxMs,
      String load,
      String firstError)
      implements Line {

    double writesPerSecond() {
      return seconds > 0 ? writes / seconds : 0;
    }

    @Override
    public String toTsv() {
      return String.join(
          "\t",
          "run",
          cluster,
          path,
          Integer.toString(workers),
          num(seconds),
          Long.toString(writes),
          Long.toString(errors),
          Long.toString(retries),
          num(avgMs),
          num(p50Ms),
          num(p99Ms),
          num(maxMs),
          load,
          clean(firstError));
    }
  }

  /**
   * One process's resident set during a run, in KiB (-1: no sample).
   *
   * @param node the node's part: leader, follower-a (whose app socket serves the non-leader runs),
   *     follower-b
   * @param startKib first sample, before the warm-up
   * @param steadyKib median over the measured window
   * @param peakKib largest sample of the run
   * @param cpuMillis CPU time the process used in the measured window (-1: unknown)
   */
  record Rss(
      String cluster,
      String path,
      int workers,
      String node,
      long pid,
      long startKib,
      long steadyKib,
      long peakKib,
      long cpuMillis)
      implements Line {

    @Override
    public String toTsv() {
      return String.join(
          "\t",
          "rss",
          cluster,
          path,
          Integer.toString(workers),
          node,
          Long.toString(pid),
          Long.toString(startKib),
          Long.toString(steadyKib),
          Long.toString(peakKib),
          Long.toString(cpuMillis));
    }
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String clean(String s) {
    if (s == null || s.isBlank()) {
      return "-";
    }
    String one = s.replaceAll("[\\t\\r\\n]+", " ").strip();
    return one.length() > 200 ? one.substring(0, 200) + "…" : one;
  }
}
