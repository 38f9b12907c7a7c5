package io.dqlite.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The raw outcome of one measured slice of a run (every latency sample, the measured time, the
 * errors), kept so that the slices of one configuration can be pooled: bench/run.sh alternates go
 * and Java slices (go, Java, Java, go) so that a change of load on the machine during the
 * configuration weighs on both sides alike.
 *
 * <p>File format, text: a line {@code # seconds <s> errors <n> retries <n>}, an optional line
 * {@code # error <message>}, then one line per sample, {@code w <ns>} or {@code r <ns>}.
 */
final class RunData {

  final Samples writes = new Samples();

  /**
   * go only: each successful write's latency had its worker retried busy writes until success
   * (GoResults.untilSuccess); empty for Java, whose write latencies include its retries already.
   */
  final Samples writesUntilSuccess = new Samples();

  final Samples reads = new Samples();
  double seconds;
  long errors;

  /** Attempts the transaction helper retried; -1 when not known (go). */
  long retries;

  String firstError;

  /** Adds another slice of the same configuration and implementation. */
  void add(RunData other) {
    writes.addAll(other.writes);
    writesUntilSuccess.addAll(other.writesUntilSuccess);
    reads.addAll(other.reads);
    seconds += other.seconds;
    errors += other.errors;
    retries = retries < 0 || other.retries < 0 ? -1 : retries + other.retries;
    if (firstError == null) {
      firstError = other.firstError;
    }
  }

  Result toResult(String impl, KvWorkload workload, int workers, String placement) {
    return new Result(
        impl,
        workload,
        workers,
        placement,
        seconds,
        writes.size(),
        reads.size(),
        errors,
        retries,
        firstError,
        writes.stats(),
        (writesUntilSuccess.size() > 0 ? writesUntilSuccess : writes).stats().p99Ms(),
        reads.stats());
  }

  /** A go slice: dqlite-benchmark's results directory, warm-up left out. */
  static RunData fromGo(Path resultsDir, double measuredSeconds, long warmupNanos) {
    GoResults.Parsed p = GoResults.parse(resultsDir, warmupNanos);
    RunData d = new RunData();
    d.writes.addAll(p.writes());
    d.writesUntilSuccess.addAll(p.writesUntilSuccess());
    d.reads.addAll(p.reads());
    d.seconds = measuredSeconds;
    d.errors = p.errors();
    d.retries = -1;
    d.firstError = p.firstError();
    return d;
  }

  void write(Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write(
          String.format(
              Locale.ROOT, "# seconds %.6f errors %d retries %d%n", seconds, errors, retries));
      if (firstError != null) {
        w.write("# error " + firstError.replaceAll("[\\r\\n]+", " ") + "\n");
      }
      for (int i = 0; i < writes.size(); i++) {
        w.write("w " + writes.get(i) + "\n");
      }
      for (int i = 0; i < reads.size(); i++) {
        w.write("r " + reads.get(i) + "\n");
      }
    }
  }

  static RunData read(Path file) throws IOException {
    RunData d = new RunData();
    List<String> lines = Files.readAllLines(file);
    boolean header = false;
    for (String line : lines) {
      if (line.startsWith("# seconds ")) {
        String[] f = line.substring(2).split(" ");
        d.seconds = Double.parseDouble(f[1]);
        d.errors = Long.parseLong(f[3]);
        d.retries = Long.parseLong(f[5]);
        header = true;
      } else if (line.startsWith("# error ")) {
        d.firstError = line.substring(8);
      } else if (line.startsWith("w ")) {
        d.writes.add(Long.parseLong(line.substring(2)));
      } else if (line.startsWith("r ")) {
        d.reads.add(Long.parseLong(line.substring(2)));
      } else if (!line.isBlank()) {
        throw new IllegalArgumentException(file + ": unexpected line: " + line);
      }
    }
    if (!header) {
      throw new IllegalArgumentException(file + ": no '# seconds' header line");
    }
    return d;
  }
}
