package io.dqlite.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a {@code .dockerignore} as Docker applies them: patterns in order, the last one that
 * matches a path or one of its parent directories decides, {@code !} re-includes, {@code *} and
 * {@code ?} stay within one path element, {@code **} spans any number of them.
 */
final class DockerIgnore {

  private record Rule(String pattern, Pattern regex, boolean exception) {}

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = rules;
  }

  static DockerIgnore read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  static DockerIgnore parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String line : text.lines().toList()) {
      String p = line.strip();
      if (p.isEmpty() || p.startsWith("#")) {
        continue;
      }
      boolean exception = p.startsWith("!");
      if (exception) {
        p = p.substring(1).strip();
      }
      p = clean(p);
      rules.add(new Rule(p, Pattern.compile(regex(p)), exception));
    }
    return new DockerIgnore(rules);
  }

  /** Like Go's filepath.Clean for these patterns: no leading or trailing slash, no "./". */
  private static String clean(String p) {
    String c = p.replaceAll("/+", "/");
    while (c.startsWith("./")) {
      c = c.substring(2);
    }
    c = c.replaceAll("^/+", "").replaceAll("/+$", "");
    return c.isEmpty() ? "." : c;
  }

  private static String regex(String pattern) {
    StringBuilder r = new StringBuilder("^");
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
          i++;
          if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
            i++;
            r.append("(?:.*/)?");
          } else {
            r.append(".*");
          }
        } else {
          r.append("[^/]*");
        }
      } else if (c == '?') {
        r.append("[^/]");
      } else {
        r.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return r.append('$').toString();
  }

  /** Whether the context path (relative, with '/') is left out of the build context. */
  boolean excludes(String path) {
    String p = clean(path);
    boolean excluded = false;
    for (Rule rule : rules) {
      if (matchesItselfOrParent(rule, p)) {
        excluded = !rule.exception();
      }
    }
    return excluded;
  }

  private static boolean matchesItselfOrParent(Rule rule, String path) {
    if (rule.regex().matcher(path).matches()) {
      return true;
    }
    for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      if (rule.regex().matcher(path.substring(0, slash)).matches()) {
        return true;
      }
    }
    return false;
  }
}
