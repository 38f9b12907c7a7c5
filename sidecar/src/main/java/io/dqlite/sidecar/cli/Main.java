package io.dqlite.sidecar.cli;

import io.dqlite.sidecar.api.Durations;
import io.dqlite.sidecar.node.NameCache;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code dqlite-sidecar [run] [flags]} runs the daemon (the default); {@code dqlite-sidecar
 * handover} asks the local daemon to hand over (for a preStop hook). Exit codes: 0 success, 1
 * failure (start-up failed, handover failed), 2 bad flags.
 */
@Command(
    name = "dqlite-sidecar",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Runs a dqlite node in a Kubernetes pod, with its app socket and admin endpoints.",
    subcommands = {HandoverCommand.class})
public final class Main {

  private static final Set<String> TOP_LEVEL = Set.of("-h", "--help", "-V", "--version");

  public static void main(String[] args) {
    NameCache.apply(); // before any lookup: the JDK reads the policy once
    int code = execute(args, System.getenv());
    if (code != RunCommand.KEEP_RUNNING) {
      System.exit(code);
    }
  }

  /** Parses and runs; returns the exit code, or {@link RunCommand#KEEP_RUNNING}. */
  static int execute(String[] args, Map<String, String> env) {
    CommandLine cli = commandLine(env);
    return cli.execute(withDefaultSubcommand(args));
  }

  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand("run", RunCommand.commandLine(env));
    // Values such as --app-socket @dqlite start with '@': picocli would read them as argument
    // files when a file of that name is in the working directory.
    cli.setExpandAtFiles(false);
    cli.setDefaultValueProvider(new EnvDefaults(env));
    cli.registerConverter(Duration.class, Durations::parse);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    for (CommandLine sub : cli.getSubcommands().values()) {
      sub.setDefaultValueProvider(new EnvDefaults(env));
      sub.registerConverter(Duration.class, Durations::parse);
      sub.setCaseInsensitiveEnumValuesAllowed(true);
    }
    return cli;
  }

  /** {@code run} is implied when the first argument is a flag (or there is none). */
  static String[] withDefaultSubcommand(String[] args) {
    if (args.length == 0 || (args[0].startsWith("-") && !TOP_LEVEL.contains(args[0]))) {
      String[] out = new String[args.length + 1];
      out[0] = "run";
      System.arraycopy(args, 0, out, 1, args.length);
      return out;
    }
    return Arrays.copyOf(args, args.length);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"dqlite-sidecar " + (v == null ? "(development build)" : v)};
    }
  }
}
