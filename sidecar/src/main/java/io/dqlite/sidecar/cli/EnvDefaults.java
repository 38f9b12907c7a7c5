package io.dqlite.sidecar.cli;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every flag can also come from the environment: {@code --dir} from {@code DQLITE_DIR}, {@code
 * --roles-adjustment-frequency} from {@code DQLITE_ROLES_ADJUSTMENT_FREQUENCY}, and so on
 * ({@code DQLITE_} and the flag in upper snake case), except {@code --node-name}, which reads
 * {@code NODE_NAME} as the downward API conventionally sets it. A flag on the command line wins.
 */
final class EnvDefaults implements IDefaultValueProvider {

  private final Map<String, String> env;

  EnvDefaults(Map<String, String> env) {
    this.env = env;
  }

  /** The variable that feeds {@code flag} (given with its dashes). */
  static String variable(String flag) {
    String name = flag.replaceFirst("^-+", "");
    if (name.equals("node-name")) {
      return "NODE_NAME";
    }
    return "DQLITE_" + name.replace('-', '_').toUpperCase(java.util.Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String value = env.get(variable(option.longestName()));
    return value == null || value.isEmpty() ? null : value;
  }
}
