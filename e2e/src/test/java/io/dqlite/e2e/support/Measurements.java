package io.dqlite.e2e.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Times measured by the suite (never asserted on): printed when recorded, as
 * {@code E2E-MEASURE <what>: <seconds> s}, and all together when the environment closes.
 */
public final class Measurements {

  private static final List<String> ALL = new ArrayList<>();

  private Measurements() {}

  public static synchronized void record(String what, Duration d) {
    record(what, d.toMillis() < 1000 ? d.toMillis() + " ms"
        : String.format("%.1f s", d.toMillis() / 1000.0));
  }

  public static synchronized void record(String what, String value) {
    String line = "E2E-MEASURE " + what + ": " + value;
    ALL.add(line);
    System.out.println(line);
  }

  static synchronized void print() {
    System.out.println("E2E measurements of this run:");
    ALL.forEach(l -> System.out.println("  " + l));
  }
}
