package io.dqlite.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A finished command: exit code and combined output. */
public record ProcessResult(int exitCode, String output) {

  /**
   * Runs a command to completion within {@code timeout} (killed after it, exit code -1), output
   * captured; {@code env} adds variables.
   */
  public static ProcessResult run(Duration timeout, List<String> command, Map<String, String> env) {
    Path out = null;
    try {
      out = Files.createTempFile("e2e-cmd", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
      if (env != null) {
        pb.environment().putAll(env);
      }
      Process p = pb.start();
      boolean done = E2eEnvironment.waitFor(p, timeout);
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        E2eEnvironment.waitFor(p, Duration.ofSeconds(10));
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      return new ProcessResult(
          done ? p.exitValue() : -1,
          done ? text : text + "\n(killed after " + timeout.toSeconds() + " s)");
    } catch (IOException e) {
      throw new UncheckedIOException("run " + command, e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temp file
        }
      }
    }
  }
}
