package io.dqlite.sidecar.cli;

import io.dqlite.sidecar.api.SidecarSetting;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every flag can also come from the environment, from its setting's variable ({@link
 * SidecarSetting#env()}: {@code --dir} from {@code DQLITE_DIR}, {@code --node-name} from {@code
 * NODE_NAME}). A flag on the command line wins; an empty variable counts as unset.
 */
final class EnvDefaults implements IDefaultValueProvider {

  private final Map<String, String> env;

  EnvDefaults(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String value =
        SidecarSetting.forFlag(option.longestName()).map(s -> env.get(s.env())).orElse(null);
    return value == null || value.isEmpty() ? null : value;
  }
}
