package io.dqlite.sidecar.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as flags give them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or ISO-8601.
 */
public final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Durations() {}

  /** The duration {@code text} gives; {@link IllegalArgumentException} with the accepted forms. */
  public static Duration parse(String text) {
    String t = text.strip();
    Matcher m = SIMPLE.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: write e.g. 500ms, 30s, 5m, 1h (or ISO-8601 PT30S)");
    }
  }

  /** {@code d} as flags write it: {@code 1h}, {@code 5m}, {@code 30s}, {@code 250ms}. */
  public static String format(Duration d) {
    if (d.isZero() || d.isNegative() || d.toNanosPart() % 1_000_000 != 0) {
      return d.isZero() ? "0s" : d.toString();
    }
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
