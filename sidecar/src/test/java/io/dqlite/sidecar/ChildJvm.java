package io.dqlite.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test's {@code main} in a JVM of its own, for what this JVM fixed when it started (its
 * resolver's hosts file and name cache, the packages the module system opens). The child gets this
 * JVM's class path and JNA settings; its output goes to a log file, returned once it exited 0.
 */
public final class ChildJvm {

  private ChildJvm() {}

  /**
   * Runs {@code main} with {@code jvmFlags} and {@code args}; fails the test if it does not exit 0
   * within {@code timeout}.
   *
   * @return what the child printed (stdout and stderr)
   */
  public static String run(
      Path log, Duration timeout, List<String> jvmFlags, Class<?> main, String... args)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("jna.")) {
        command.add("-D" + name + "=" + System.getProperty(name));
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process child =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      boolean finished = child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      String output = Files.readString(log);
      assertThat(finished)
          .as("%s finished within %s; its output:%n%s", main.getSimpleName(), timeout, output)
          .isTrue();
      assertThat(child.exitValue()).as("exit status; output:%n%s", output).isZero();
      return output;
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
