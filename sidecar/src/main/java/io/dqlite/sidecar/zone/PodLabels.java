package io.dqlite.sidecar.zone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the pod's labels from a downward-API file ({@code fieldRef: metadata.labels}), one {@code
 * key="value"} per line with the value quoted as Go's {@code %q} does.
 */
public final class PodLabels {

  private PodLabels() {}

  /**
   * Parses the labels in {@code file}.
   *
   * @throws IOException when the file cannot be read or a line is not {@code key="value"}
   */
  public static Map<String, String> read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /** Parses downward-API label text; {@code source} names it in errors. */
  static Map<String, String> parse(String text, String source) throws IOException {
    Map<String, String> labels = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0 || line.length() < eq + 3 || line.charAt(eq + 1) != '"' || !line.endsWith("\"")) {
        throw new IOException(
            source
                + ":"
                + lineNo
                + ": expected key=\"value\" (a downward-API labels file), got: "
                + line);
      }
      labels.put(line.substring(0, eq), unquote(line.substring(eq + 2, line.length() - 1)));
    }
    return labels;
  }

  /** Undoes Go's quoting for the escapes label values can contain. */
  private static String unquote(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        sb.append(
            switch (n) {
              case 'n' -> '\n';
              case 't' -> '\t';
              default -> n;
            });
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
