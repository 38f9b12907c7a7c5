package io.dqlite.sidecar.cli;

import io.dqlite.sidecar.api.SidecarSetting;
import io.dqlite.sidecar.daemon.Sidecar;
import io.dqlite.sidecar.daemon.SidecarOptions;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dqlite-sidecar run}: starts the daemon and runs until SIGTERM or SIGINT, which hand over
 * and stop it. Its flags are the {@link SidecarSetting}s, added to the command by {@link
 * #commandLine}; every flag also reads its environment variable ({@link EnvDefaults}).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    sortSynopsis = false,
    description = "Runs the dqlite node, its app socket and its admin endpoints (the default).")
final class RunCommand implements Callable<Integer> {

  /** Returned when the daemon runs on after {@code main} returns (never, in practice). */
  static final int KEEP_RUNNING = Integer.MIN_VALUE;

  private final Map<String, String> env;

  @Spec CommandSpec spec;

  private RunCommand(Map<String, String> env) {
    this.env = env;
  }

  /** The {@code run} command with one option per setting, reading {@code env}. */
  static CommandLine commandLine(Map<String, String> env) {
    CommandSpec spec = CommandSpec.forAnnotatedObject(new RunCommand(env));
    for (SidecarSetting s : SidecarSetting.values()) {
      spec.addOption(
          OptionSpec.builder(s.flag())
              .paramLabel(s.paramLabel())
              .description(s.help())
              .type(String.class)
              .build());
    }
    return new CommandLine(spec);
  }

  /** The options from the flags, validated; bad values are reported as bad flags (exit 2). */
  SidecarOptions options() {
    SidecarOptions.Builder b = SidecarOptions.builder();
    try {
      for (SidecarSetting s : SidecarSetting.values()) {
        String value = spec.findOption(s.flag()).getValue();
        if (value != null) {
          b.set(s, value);
        }
      }
      if (spec.findOption(SidecarSetting.ADDRESS.flag()).getValue() == null) {
        b.address(SidecarOptions.defaultAddress(env).orElse(null));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  @Override
  public Integer call() throws Exception {
    SidecarOptions options = options();
    LogSetup.configure(options.logFormat(), options.logLevel());
    Logger log = LoggerFactory.getLogger(RunCommand.class);
    Sidecar sidecar;
    try {
      sidecar = Sidecar.start(options);
    } catch (Exception e) {
      log.error("cannot start: {}", e.getMessage());
      LogSetup.stop();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    sidecar.shutdown();
                  } finally {
                    stopped.countDown();
                    LogSetup.stop();
                  }
                },
                "dqlite-sidecar-shutdown"));
    stopped.await();
    // The JVM is exiting through the hook; main must not call System.exit now.
    return KEEP_RUNNING;
  }
}
