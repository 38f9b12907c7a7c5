package io.dqlite.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Dockerfile as the tests read it: instructions (line continuations joined, comment lines
 * dropped, as BuildKit does) grouped by stage. Only the syntax this project's Dockerfile uses.
 */
final class DockerfileModel {

  /** One instruction: keyword (upper case), its {@code --flag=value}s, and the rest of the line. */
  record Instruction(int line, String keyword, Map<String, String> flags, String arguments) {

    /** Whitespace-separated words of the arguments, or the elements of a JSON array form. */
    List<String> words() {
      String a = arguments.trim();
      if (a.startsWith("[")) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(a);
        while (m.find()) {
          words.add(m.group(1));
        }
        return words;
      }
      return a.isEmpty() ? List.of() : Arrays.asList(a.split("\\s+"));
    }
  }

  /** A stage: {@code FROM base AS name} and its instructions. */
  record Stage(String name, String base, List<Instruction> instructions) {

    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    Optional<Instruction> last(String keyword) {
      List<Instruction> found = all(keyword);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }
  }

  private static final Pattern FLAG = Pattern.compile("^--([a-z-]+)(?:=(\\S*))?\\s*");

  private final List<Instruction> global;
  private final Map<String, Stage> stages;
  private final List<String> lines;

  private DockerfileModel(List<Instruction> global, Map<String, Stage> stages, List<String> lines) {
    this.global = global;
    this.stages = stages;
    this.lines = lines;
  }

  static DockerfileModel read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  static DockerfileModel parse(String text) {
    List<String> lines = text.lines().toList();
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = null;
    int start = 0;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || trimmed.isEmpty()) {
        continue;
      }
      if (current == null) {
        current = new StringBuilder();
        start = n + 1;
      }
      boolean continued = trimmed.endsWith("\\");
      current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
      if (!continued) {
        instructions.add(instruction(start, current.toString().strip()));
        current = null;
      }
    }
    if (current != null) {
      throw new IllegalArgumentException("line " + start + ": continuation runs past the end");
    }
    List<Instruction> global = new ArrayList<>();
    Map<String, Stage> stages = new LinkedHashMap<>();
    List<Instruction> stageInstructions = null;
    for (Instruction i : instructions) {
      if (i.keyword().equals("FROM")) {
        List<String> w = i.words();
        String name =
            w.size() >= 3 && w.get(1).equalsIgnoreCase("AS") ? w.get(2) : "#" + stages.size();
        stageInstructions = new ArrayList<>();
        stages.put(name, new Stage(name, w.get(0), stageInstructions));
      } else if (stageInstructions == null) {
        global.add(i);
      } else {
        stageInstructions.add(i);
      }
    }
    return new DockerfileModel(List.copyOf(global), stages, lines);
  }

  private static Instruction instruction(int line, String text) {
    int space = text.indexOf(' ');
    String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
    String rest = space < 0 ? "" : text.substring(space + 1).strip();
    Map<String, String> flags = new LinkedHashMap<>();
    for (Matcher m = FLAG.matcher(rest); m.find(); m = FLAG.matcher(rest)) {
      flags.put(m.group(1), m.group(2) == null ? "" : m.group(2));
      rest = rest.substring(m.end());
    }
    return new Instruction(line, keyword, flags, rest.strip());
  }

  /** Instructions before the first FROM (ARGs). */
  List<Instruction> global() {
    return global;
  }

  Map<String, Stage> stages() {
    return stages;
  }

  Stage stage(String name) {
    Stage stage = stages.get(name);
    if (stage == null) {
      throw new AssertionError(
          "the Dockerfile has no stage '" + name + "'; stages: " + stages.keySet());
    }
    return stage;
  }

  /** The stages a stage builds on, itself first, following FROM by stage name. */
  List<Stage> lineage(String name) {
    List<Stage> chain = new ArrayList<>();
    for (Stage s = stage(name); s != null; s = stages.get(s.base())) {
      chain.add(s);
    }
    return chain;
  }

  /** Default value of a global {@code ARG NAME=value}. */
  Optional<String> globalArg(String name) {
    return argIn(global, name);
  }

  static Optional<String> argIn(List<Instruction> instructions, String name) {
    return instructions.stream()
        .filter(i -> i.keyword().equals("ARG") && i.arguments().startsWith(name + "="))
        .map(i -> i.arguments().substring(name.length() + 1))
        .findFirst();
  }

  /** The raw lines, comments included (for the hadolint directives). */
  List<String> lines() {
    return lines;
  }

  /** {@code KEY=value} pairs of LABEL or ENV instructions of the given stages (quotes removed). */
  static Map<String, String> pairs(List<Stage> stages, String keyword) {
    Map<String, String> pairs = new LinkedHashMap<>();
    Pattern pair = Pattern.compile("([A-Za-z0-9_.\\-]+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|\\S+)");
    for (int s = stages.size() - 1; s >= 0; s--) {
      for (Instruction i : stages.get(s).all(keyword)) {
        Matcher m = pair.matcher(i.arguments());
        while (m.find()) {
          pairs.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
      }
    }
    return pairs;
  }
}
