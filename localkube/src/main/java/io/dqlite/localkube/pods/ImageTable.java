package io.dqlite.localkube.pods;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a container image means on this machine: the command line (the image's ENTRYPOINT and CMD)
 * that runs it as a local process. Loaded from YAML:
 *
 * <pre>
 * images:
 *   example/http:            # matched as written, else without its tag or digest
 *     command: [python3, -m, http.server, --bind, $(LOCALKUBE_POD_IP)]   # ENTRYPOINT
 *     args: ["8080"]                                                      # CMD
 *     workingDir: ${REPO}
 *     env: {PYTHONUNBUFFERED: "1"}
 *     files:                 # the image's own files that pod specs name by absolute path
 *       /opt/example/bin/run: ${REPO}/scripts/run-example
 * </pre>
 *
 * {@code ${NAME}} is replaced when the table is loaded (from the given variables, else the
 * environment); {@code $(NAME)} is left for the container's environment, as Kubernetes does.
 */
public final class ImageTable {
  private static final Pattern LOAD_VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Map<String, Image> images;
  private final String source;

  private ImageTable(Map<String, Image> images, String source) {
    this.images = Map.copyOf(images);
    this.source = source;
  }

  /**
   * One image: its entrypoint, default arguments, working directory, extra environment, and the
   * files of its filesystem that a pod spec may name (container path → host path), e.g. a launcher
   * that an operator names in a container's command or lifecycle hook. They are translated like
   * mount paths, so a machine needs no writes outside the checkout and two checkouts on one machine
   * do not collide.
   */
  public record Image(
      List<String> command,
      List<String> args,
      String workingDir,
      Map<String, String> env,
      Map<String, String> files) {
    public Image {
      command = command == null ? List.of() : List.copyOf(command);
      args = args == null ? List.of() : List.copyOf(args);
      env = env == null ? Map.of() : Map.copyOf(env);
      // Not Map.copyOf: an entry without a value must reach parse()'s check, which names it.
      files = files == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /** An image without files of its own. */
    public Image(
        List<String> command, List<String> args, String workingDir, Map<String, String> env) {
      this(command, args, workingDir, env, Map.of());
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = false)
  private record Document(Map<String, Image> images) {}

  /** Loads a table; {@code variables} fill {@code ${NAME}}, falling back to the environment. */
  public static ImageTable load(Path file, Map<String, String> variables) throws IOException {
    return parse(Files.readString(file), variables, file.toString());
  }

  /** Parses a table from YAML text; {@code source} names it in error messages. */
  public static ImageTable parse(String yaml, Map<String, String> variables, String source)
      throws IOException {
    String expanded = substitute(yaml, variables, source);
    Document doc = new ObjectMapper(new YAMLFactory()).readValue(expanded, Document.class);
    if (doc == null || doc.images() == null) {
      throw new IOException(source + ": no 'images:' mapping");
    }
    for (Map.Entry<String, Image> e : doc.images().entrySet()) {
      if (e.getValue() == null || e.getValue().command().isEmpty()) {
        throw new IOException(source + ": image " + e.getKey() + " has no command");
      }
      for (Map.Entry<String, String> f : e.getValue().files().entrySet()) {
        if (!f.getKey().startsWith("/")
            || f.getKey().equals("/")
            || f.getValue() == null
            || !f.getValue().startsWith("/")) {
          throw new IOException(
              source
                  + ": image "
                  + e.getKey()
                  + ": files entry "
                  + f.getKey()
                  + ": "
                  + f.getValue()
                  + " must map an absolute path (not /) to an absolute host"
                  + " path");
        }
      }
    }
    return new ImageTable(new LinkedHashMap<>(doc.images()), source);
  }

  private static String substitute(String text, Map<String, String> variables, String source)
      throws IOException {
    Matcher m = LOAD_VAR.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = variables.getOrDefault(name, System.getenv(name));
      if (value == null) {
        throw new IOException(
            source
                + ": ${"
                + name
                + "} is not defined (pass it to the agent"
                + " or set it in the environment)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The entry for an image reference: as written first, then without tag or digest. */
  public Optional<Image> lookup(String image) {
    if (image == null) {
      return Optional.empty();
    }
    Image exact = images.get(image);
    return exact != null ? Optional.of(exact) : Optional.ofNullable(images.get(repository(image)));
  }

  /** Where the table came from, for error messages. */
  public String source() {
    return source;
  }

  /** {@code registry:5000/name:tag@sha256:...} without the tag and digest. */
  static String repository(String image) {
    String s = image;
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    int colon = s.lastIndexOf(':');
    if (colon > s.lastIndexOf('/')) {
      s = s.substring(0, colon);
    }
    return s;
  }

  /**
   * The process's argv, with Docker's rules: the container's {@code command} replaces the image's
   * entrypoint (and drops its default args); its {@code args} replace the image's default args.
   * {@code $(VAR)} references are not yet expanded.
   */
  public static List<String> commandLine(Image image, Container container) {
    return commandParts(image, container).stream().map(Arg::value).toList();
  }

  /** One argv entry and whether it comes from the image table (a host path) or the pod spec. */
  public record Arg(String value, boolean fromImage) {}

  /** {@link #commandLine} with each entry's origin. */
  public static List<Arg> commandParts(Image image, Container container) {
    List<Arg> argv = new ArrayList<>();
    boolean hasCommand = container.getCommand() != null && !container.getCommand().isEmpty();
    boolean hasArgs = container.getArgs() != null && !container.getArgs().isEmpty();
    if (hasCommand) {
      container.getCommand().forEach(a -> argv.add(new Arg(a, false)));
    } else {
      image.command().forEach(a -> argv.add(new Arg(a, true)));
    }
    if (hasArgs) {
      container.getArgs().forEach(a -> argv.add(new Arg(a, false)));
    } else if (!hasCommand) {
      image.args().forEach(a -> argv.add(new Arg(a, true)));
    }
    return argv;
  }
}
