package io.dqlite.sidecar.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests (no parser ships with
 * the Prometheus client on the classpath). It rejects what Prometheus would reject: bad metric or
 * label names, bad escapes, unparsable values, a TYPE after samples of its family, duplicate
 * series, unknown types, and samples whose suffix does not fit their family's type.
 */
public final class PrometheusText {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = samples;
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the line and what is wrong with it
   */
  public static PrometheusText parse(String text) {
    Map<String, String> types = new HashMap<>();
    Set<String> seenFamilies = new java.util.HashSet<>();
    Set<String> seenSeries = new java.util.HashSet<>();
    List<Sample> samples = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      String where = "line " + lineNo + " '" + line + "': ";
      if (line.startsWith("#")) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && parts[1].equals("TYPE")) {
          if (!NAME.matcher(parts[2]).matches() || parts.length != 4 || !TYPES.contains(parts[3])) {
            throw new IllegalArgumentException(where + "bad TYPE line");
          }
          if (seenFamilies.contains(parts[2]) || types.containsKey(parts[2])) {
            throw new IllegalArgumentException(where + "TYPE after samples or twice");
          }
          types.put(parts[2], parts[3]);
        } else if (parts.length >= 3 && parts[1].equals("HELP")) {
          if (!NAME.matcher(parts[2]).matches()) {
            throw new IllegalArgumentException(where + "bad HELP line");
          }
        }
        continue;
      }
      Sample s;
      try {
        s = sample(line, where);
      } catch (StringIndexOutOfBoundsException e) {
        throw new IllegalArgumentException(where + "line ends too early");
      }
      String family = family(s.name(), types);
      String type = types.getOrDefault(family, "untyped");
      if (!suffixFits(s.name(), family, type)) {
        throw new IllegalArgumentException(where + s.name() + " does not fit a " + type);
      }
      seenFamilies.add(family);
      if (!seenSeries.add(s.name() + s.labels())) {
        throw new IllegalArgumentException(where + "duplicate series");
      }
      samples.add(s);
    }
    return new PrometheusText(samples);
  }

  private static String family(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created", "_max")) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        if (types.containsKey(base)) {
          return base;
        }
      }
    }
    return name;
  }

  private static boolean suffixFits(String name, String family, String type) {
    String suffix = name.substring(family.length());
    return switch (type) {
      case "counter" -> suffix.equals("_total") || suffix.isEmpty() || suffix.equals("_created");
      case "histogram" -> Set.of("_bucket", "_count", "_sum", "_created").contains(suffix);
      case "summary" -> Set.of("", "_count", "_sum", "_created").contains(suffix);
      default -> suffix.isEmpty();
    };
  }

  private static Sample sample(String line, String where) {
    Matcher m = NAME.matcher(line);
    if (!m.lookingAt()) {
      throw new IllegalArgumentException(where + "no metric name");
    }
    String name = m.group();
    int i = m.end();
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        Matcher l = LABEL.matcher(line).region(i, line.length());
        if (!l.lookingAt()) {
          throw new IllegalArgumentException(where + "bad label name at " + i);
        }
        String label = l.group();
        i = l.end();
        if (line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
          throw new IllegalArgumentException(where + "expected =\" after " + label);
        }
        i += 2;
        StringBuilder value = new StringBuilder();
        while (line.charAt(i) != '"') {
          char c = line.charAt(i++);
          if (c == '\\') {
            char e = line.charAt(i++);
            value.append(
                switch (e) {
                  case '\\' -> '\\';
                  case '"' -> '"';
                  case 'n' -> '\n';
                  default -> throw new IllegalArgumentException(where + "bad escape \\" + e);
                });
          } else {
            value.append(c);
          }
        }
        i++;
        if (labels.put(label, value.toString()) != null) {
          throw new IllegalArgumentException(where + "label " + label + " twice");
        }
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new IllegalArgumentException(where + "expected a space before the value");
    }
    String[] rest = line.substring(i + 1).split(" ");
    if (rest.length > 2) {
      throw new IllegalArgumentException(where + "too many fields");
    }
    double value;
    try {
      value =
          switch (rest[0]) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(rest[0]);
          };
      if (rest.length == 2) {
        Long.parseLong(rest[1]);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + "bad value or timestamp");
    }
    return new Sample(name, labels, value);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The samples named {@code name}. */
  public List<Sample> named(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** The value of the one sample named {@code name} with exactly these labels. */
  public Optional<Double> value(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().equals(labels))
        .map(Sample::value)
        .findFirst();
  }
}
