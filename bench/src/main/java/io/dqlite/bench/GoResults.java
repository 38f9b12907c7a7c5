package io.dqlite.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the result files dqlite-benchmark (go-dqlite v1.11.5, benchmark/tracker.go) leaves in
 * {@code DIR/ADDR/results/}: one file per worker and kind of work, named {@code
 * <worker>-<exec|query>-<unix time>}, holding {@code n}, {@code n_err}, summary lines, then one
 * line per successful operation ({@code <start ns> <ms>.<ns within the ms, 6 digits>}) and one per
 * error ({@code <start ns> <message>}).
 *
 * <p>Every successful operation's latency is read so that percentiles are computed exactly as for
 * this client. Operations that started during the warm-up (the first {@code warmup} nanoseconds
 * after the earliest operation of the run) are left out of the samples, as the Java side leaves out
 * its warm-up; errors are counted over the whole run on both sides. go's tracker reports only the
 * kinds of work that had at least one success per worker, so errors of a worker that never
 * succeeded are not in the files.
 */
public final class GoResults {

  /**
   * What one results directory holds, warm-up excluded from the samples.
   *
   * @param writesUntilSuccess for each successful write, what a caller that retried until success
   *     would have waited ({@link #untilSuccess})
   */
  public record Parsed(
      Samples writes, Samples writesUntilSuccess, Samples reads, long errors, String firstError) {}

  record Op(long start, long nanos) {}

  private record FileResult(
      boolean write, List<Op> ops, List<Long> errorStarts, long errors, String firstError) {}

  private GoResults() {}

  /**
   * @param warmupNanos operations starting this long after the first one are counted; 0 counts all
   */
  public static Parsed parse(Path resultsDir, long warmupNanos) {
    List<Path> files;
    try (Stream<Path> s = Files.list(resultsDir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("list go results in " + resultsDir, e);
    }
    List<FileResult> parsed = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.matches("\\d+-exec-\\d+")) {
        parsed.add(parseFile(file, true));
      } else if (name.matches("\\d+-query-\\d+")) {
        parsed.add(parseFile(file, false));
      }
    }
    if (parsed.isEmpty()) {
      throw new IllegalArgumentException("no dqlite-benchmark result files in " + resultsDir);
    }
    long first = Long.MAX_VALUE;
    for (FileResult r : parsed) {
      for (Op op : r.ops()) {
        first = Math.min(first, op.start());
      }
    }
    long from = first == Long.MAX_VALUE ? 0 : first + warmupNanos;
    Samples writes = new Samples();
    Samples writesUntilSuccess = new Samples();
    Samples reads = new Samples();
    long errors = 0;
    String firstError = null;
    for (FileResult r : parsed) {
      Samples into = r.write() ? writes : reads;
      for (Op op : r.ops()) {
        if (op.start() >= from) {
          into.add(op.nanos());
        }
      }
      if (r.write()) {
        for (Op op : untilSuccess(r.ops(), r.errorStarts())) {
          if (op.start() >= from) {
            writesUntilSuccess.add(op.nanos());
          }
        }
      }
      errors += r.errors();
      if (firstError == null) {
        firstError = r.firstError();
      }
    }
    return new Parsed(writes, writesUntilSuccess, reads, errors, firstError);
  }

  private static FileResult parseFile(Path file, boolean write) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("read " + file, e);
    }
    long declared = -1;
    long declaredErrors = -1;
    String firstError = null;
    List<Op> ops = new ArrayList<>();
    List<Long> errorStarts = new ArrayList<>();
    int section = 0; // 0 header, 1 measurements, 2 errors
    for (String line : lines) {
      if (line.startsWith("measurements")) {
        section = 1;
        continue;
      }
      if (line.equals("errors")) {
        section = 2;
        continue;
      }
      if (line.isBlank()) {
        continue;
      }
      switch (section) {
        case 0 -> {
          if (line.startsWith("n_err ")) {
            declaredErrors = Long.parseLong(line.substring(6).trim());
          } else if (line.startsWith("n ")) {
            declared = Long.parseLong(line.substring(2).trim());
          }
        }
        case 1 -> {
          int space = line.indexOf(' ');
          ops.add(
              new Op(
                  Long.parseLong(line.substring(0, space)),
                  parseMillis(line.substring(space + 1).trim())));
        }
        default -> {
          errorStarts.add(Long.parseLong(line.substring(0, line.indexOf(' '))));
          if (firstError == null) {
            firstError = line.substring(line.indexOf(' ') + 1).trim();
          }
        }
      }
    }
    if (declared != ops.size()) {
      throw new IllegalArgumentException(
          file + ": declares n " + declared + " but lists " + ops.size() + " measurements");
    }
    return new FileResult(write, ops, errorStarts, Math.max(0, declaredErrors), firstError);
  }

  /**
   * go's worker reports a busy write as an error and moves on to the next key; a caller that must
   * not fail would have retried instead. For each success of one worker (in start order), the time
   * from the worker's first failed write since its previous success to the end of this one: what
   * that caller would have waited. The start stays the success's own (for the warm-up cut). In
   * kvreadwrite the reads the worker did in between are inside that time too. Pure.
   */
  static List<Op> untilSuccess(List<Op> successes, List<Long> errorStarts) {
    List<Op> sorted = new ArrayList<>(successes);
    sorted.sort(Comparator.comparingLong(Op::start));
    List<Long> errors = new ArrayList<>(errorStarts);
    errors.sort(null);
    List<Op> out = new ArrayList<>(sorted.size());
    long previousEnd = Long.MIN_VALUE;
    int e = 0;
    for (Op op : sorted) {
      long first = op.start();
      for (; e < errors.size() && errors.get(e) < op.start(); e++) {
        if (errors.get(e) >= previousEnd) {
          first = Math.min(first, errors.get(e));
        }
      }
      long end = op.start() + op.nanos();
      out.add(new Op(op.start(), end - first));
      previousEnd = end;
    }
    return out;
  }

  /** go's durToMs format: whole milliseconds, a dot, then the remaining nanoseconds (6 digits). */
  static long parseMillis(String s) {
    int dot = s.indexOf('.');
    if (dot < 0) {
      return Long.parseLong(s) * 1_000_000L;
    }
    return Long.parseLong(s.substring(0, dot)) * 1_000_000L + Long.parseLong(s.substring(dot + 1));
  }
}
