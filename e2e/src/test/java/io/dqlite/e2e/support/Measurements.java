package io.dqlite.e2e.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Times measured by the suite (never asserted on): printed when recorded, as {@code E2E-MEASURE
 * <what>: <time>}, and all together when the environment closes, with the whole suite's time (test
 * JVM start to environment closed), the machine's cores and its load; also written to the file
 * named by {@code -De2e.report} (failsafe: {@code e2e/target/e2e-measurements.txt}), the benchmark
 * output that docs/benchmarks.md quotes.
 */
public final class Measurements {

  private static final List<String> ALL = new ArrayList<>();

  private Measurements() {}

  public static synchronized void record(String what, Duration d) {
    record(what, format(d));
  }

  public static synchronized void record(String what, String value) {
    String line = "E2E-MEASURE " + what + ": " + value;
    ALL.add(line);
    System.out.println(line);
  }

  static String format(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + " ms";
    }
    if (d.toSeconds() < 120) {
      return String.format("%.1f s", d.toMillis() / 1000.0);
    }
    return String.format(
        "%d min %02d s (%.1f s)", d.toMinutes(), d.toSecondsPart(), d.toMillis() / 1000.0);
  }

  /** Records the suite's total, prints every measurement and writes the report file. */
  static synchronized void finish() {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    record(
        "whole suite (test JVM start -> environment closed)",
        Duration.ofMillis(System.currentTimeMillis() - jvmStart));
    List<String> report = new ArrayList<>();
    report.add(
        "E2E measurements of this run ("
            + Instant.now()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores, load average "
            + loadAverage()
            + "):");
    ALL.forEach(l -> report.add("  " + l));
    report.forEach(System.out::println);
    String file = System.getProperty("e2e.report");
    if (file != null && !file.isBlank()) {
      try {
        Path path = Path.of(file);
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.write(path, report, StandardCharsets.UTF_8);
      } catch (IOException e) {
        System.out.println("E2E: could not write the measurements to " + file + ": " + e);
      }
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
