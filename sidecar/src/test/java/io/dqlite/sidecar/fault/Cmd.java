package io.dqlite.sidecar.fault;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short system command (ip, mount, kill) with a deadline, and returns its output. */
final class Cmd {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private Cmd() {}

  /** The command's output; throws, with the output, when it fails or outlives its deadline. */
  static String run(String... command) {
    Result r = attempt(command);
    if (r.exit() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed (exit " + r.exit() + "): " + r.output().strip());
    }
    return r.output();
  }

  /** Exit code and output, for commands whose failure is an answer (removing what may be gone). */
  static Result attempt(String... command) {
    Path out = null;
    try {
      // Output to a file, so that a command that hangs cannot block a read past the deadline.
      out = Files.createTempFile("dqlite-fault-cmd", ".out");
      Process p =
          new ProcessBuilder(List.of(command))
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!p.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " did not finish within " + DEADLINE);
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }

  record Result(int exit, String output) {}
}
