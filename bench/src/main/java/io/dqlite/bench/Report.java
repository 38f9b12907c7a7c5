package io.dqlite.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pairs the go and Java runs of each configuration, prints the comparison with the ratios Java/go,
 * and renders the results section of docs/benchmarks.md. Pure: no I/O.
 */
final class Report {

  static final String BEGIN = "<!-- BEGIN client-benchmark results: written by bench/run.sh -->";
  static final String END = "<!-- END client-benchmark results -->";

  /** What is known about the run as a whole. */
  record Meta(
      String date,
      String commit,
      String machine,
      String loadBefore,
      String loadAfter,
      String command,
      String durationNote) {}

  /** The go and Java result of one configuration; either may be missing. */
  record Pair(String config, Result go, Result java) {

    /** Java writes/s divided by go's; NaN when either is missing or go wrote nothing. */
    double writeRatio() {
      if (go == null || java == null || go.writesPerSecond() == 0) {
        return Double.NaN;
      }
      return java.writesPerSecond() / go.writesPerSecond();
    }

    /** Java p99 write latency divided by go's (below 1 is better). */
    double p99Ratio() {
      if (go == null || java == null || go.write().p99Ms() == 0) {
        return Double.NaN;
      }
      return java.write().p99Ms() / go.write().p99Ms();
    }

    /**
     * Java p99 write latency divided by what go's p99 would have been had its workers retried busy
     * writes until success, as Java's do ({@link Result#writeP99UntilSuccessMs}).
     */
    double p99RatioUntilSuccess() {
      if (go == null || java == null || go.writeP99UntilSuccessMs() == 0) {
        return Double.NaN;
      }
      return java.write().p99Ms() / go.writeP99UntilSuccessMs();
    }

    /**
     * The requirement: at least go's successful writes/s, a p99 no worse, and no error surfaced
     * with 4 workers (or more).
     */
    boolean targetMet() {
      return throughputAndErrorsMet() && p99Ratio() <= 1.0;
    }

    private boolean throughputAndErrorsMet() {
      if (go == null || java == null) {
        return false;
      }
      boolean errorsOk = java.workers() < 4 || java.errors() == 0;
      return writeRatio() >= 1.0 && errorsOk;
    }

    /**
     * "met"; or "p99 met vs go retrying" when only the p99 misses, and only against go's p99 of
     * lucky writes (its busy ones are errors, not samples); or "not met".
     */
    String verdict() {
      if (targetMet()) {
        return "met";
      }
      if (throughputAndErrorsMet() && p99RatioUntilSuccess() <= 1.0) {
        return "p99 met vs go retrying";
      }
      return "not met";
    }
  }

  static List<Pair> pair(List<Result> results) {
    Map<String, Result[]> byConfig = new LinkedHashMap<>();
    for (Result r : results) {
      Result[] slot = byConfig.computeIfAbsent(r.config(), k -> new Result[2]);
      if (r.impl().equals("go")) {
        slot[0] = r;
      } else if (r.impl().equals("java")) {
        slot[1] = r;
      } else {
        throw new IllegalArgumentException("unknown implementation " + r.impl());
      }
    }
    List<Pair> pairs = new ArrayList<>();
    byConfig.forEach((k, v) -> pairs.add(new Pair(k, v[0], v[1])));
    return pairs;
  }

  /** The comparison as plain text for the terminal. */
  static String text(List<Pair> pairs) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-12s %3s %-10s | %9s %9s %6s | %8s %8s %6s | %8s %6s | %9s %7s %8s | %s%n",
            "workload",
            "w",
            "driver",
            "go w/s",
            "java w/s",
            "ratio",
            "go p99",
            "java p99",
            "ratio",
            "go retry",
            "ratio",
            "go errors",
            "java err",
            "retried",
            "target"));
    for (Pair p : pairs) {
      Result any = p.go() != null ? p.go() : p.java();
      b.append(
          String.format(
              Locale.ROOT,
              "%-12s %3d %-10s | %9s %9s %6s | %8s %8s %6s | %8s %6s | %9s %7s %8s | %s%n",
              any.workload().flag(),
              any.workers(),
              any.placement(),
              p.go() == null ? "-" : fmt(p.go().writesPerSecond(), 0),
              p.java() == null ? "-" : fmt(p.java().writesPerSecond(), 0),
              fmt(p.writeRatio(), 2),
              p.go() == null ? "-" : fmt(p.go().write().p99Ms(), 2),
              p.java() == null ? "-" : fmt(p.java().write().p99Ms(), 2),
              fmt(p.p99Ratio(), 2),
              p.go() == null ? "-" : fmt(p.go().writeP99UntilSuccessMs(), 2),
              fmt(p.p99RatioUntilSuccess(), 2),
              p.go() == null ? "-" : Long.toString(p.go().errors()),
              p.java() == null ? "-" : Long.toString(p.java().errors()),
              p.java() == null ? "-" : Long.toString(p.java().retries()),
              p.verdict()));
    }
    return b.toString();
  }

  /** The generated section, markers included. */
  static String markdown(List<Pair> pairs, Meta meta) {
    StringBuilder b = new StringBuilder();
    b.append(BEGIN).append("\n\n");
    b.append("- Date: ").append(meta.date()).append("\n");
    b.append("- Commit: `").append(meta.commit()).append("`\n");
    b.append("- Machine: ").append(meta.machine()).append("\n");
    b.append("- Load average (1, 5, 15 min) before: ")
        .append(meta.loadBefore())
        .append("; after: ")
        .append(meta.loadAfter())
        .append("\n");
    b.append("- Command: `").append(meta.command()).append("`\n");
    b.append("- Each run: ").append(meta.durationNote()).append("\n\n");
    b.append(
        "| workload | workers | driver | go writes/s | Java writes/s | ratio | go p99 ms | Java p99 ms"
            + " | ratio | go p99 ms, retrying | ratio | go errors | Java errors | Java retried"
            + " | target |\n");
    b.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Pair p : pairs) {
      Result any = p.go() != null ? p.go() : p.java();
      b.append("| ")
          .append(any.workload().flag())
          .append(" | ")
          .append(any.workers())
          .append(" | ")
          .append(any.placement())
          .append(" | ")
          .append(p.go() == null ? "-" : fmt(p.go().writesPerSecond(), 0))
          .append(" | ")
          .append(p.java() == null ? "-" : fmt(p.java().writesPerSecond(), 0))
          .append(" | ")
          .append(fmt(p.writeRatio(), 2))
          .append(" | ")
          .append(p.go() == null ? "-" : fmt(p.go().write().p99Ms(), 2))
          .append(" | ")
          .append(p.java() == null ? "-" : fmt(p.java().write().p99Ms(), 2))
          .append(" | ")
          .append(fmt(p.p99Ratio(), 2))
          .append(" | ")
          .append(p.go() == null ? "-" : fmt(p.go().writeP99UntilSuccessMs(), 2))
          .append(" | ")
          .append(fmt(p.p99RatioUntilSuccess(), 2))
          .append(" | ")
          .append(p.go() == null ? "-" : Long.toString(p.go().errors()))
          .append(" | ")
          .append(p.java() == null ? "-" : Long.toString(p.java().errors()))
          .append(" | ")
          .append(p.java() == null ? "-" : Long.toString(p.java().retries()))
          .append(" | ")
          .append(p.targetMet() ? "met" : "**" + p.verdict() + "**")
          .append(" |\n");
    }
    b.append("\nEvery run in detail (latencies in ms; writes as the caller saw them):\n\n");
    b.append(
        "| impl | workload | workers | driver | writes/s | reads/s | write avg | p50 | p95 | p99 |"
            + " max | read avg | read p99 | errors | first error |\n");
    b.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Pair p : pairs) {
      for (Result r : new Result[] {p.go(), p.java()}) {
        if (r == null) {
          continue;
        }
        b.append("| ")
            .append(r.impl())
            .append(" | ")
            .append(r.workload().flag())
            .append(" | ")
            .append(r.workers())
            .append(" | ")
            .append(r.placement())
            .append(" | ")
            .append(fmt(r.writesPerSecond(), 0))
            .append(" | ")
            .append(r.reads() == 0 ? "-" : fmt(r.readsPerSecond(), 0))
            .append(" | ")
            .append(fmt(r.write().avgMs(), 2))
            .append(" | ")
            .append(fmt(r.write().p50Ms(), 2))
            .append(" | ")
            .append(fmt(r.write().p95Ms(), 2))
            .append(" | ")
            .append(fmt(r.write().p99Ms(), 2))
            .append(" | ")
            .append(fmt(r.write().maxMs(), 1))
            .append(" | ")
            .append(r.reads() == 0 ? "-" : fmt(r.read().avgMs(), 2))
            .append(" | ")
            .append(r.reads() == 0 ? "-" : fmt(r.read().p99Ms(), 2))
            .append(" | ")
            .append(r.errors())
            .append(" | ")
            .append(r.firstError().equals("-") ? "-" : "`" + r.firstError().replace("|", "/") + "`")
            .append(" |\n");
      }
    }
    b.append("\n").append(END);
    return b.toString();
  }

  /**
   * Replaces the generated section of {@code doc} (between {@link #BEGIN} and {@link #END}); a
   * document without one is refused, so that the rest of the file is never guessed at.
   */
  static String replaceSection(String doc, String section) {
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          "the document has no generated section; it needs the lines\n" + BEGIN + "\n" + END);
    }
    return doc.substring(0, begin) + section + doc.substring(end + END.length());
  }

  static String fmt(double v, int decimals) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
