package io.dqlite.localkube;

import io.dqlite.localkube.process.ProcessTrees;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the module's shell scripts ({@code build-binaries.sh}, {@code control-plane.sh}). */
final class Scripts {
  private static final Logger LOG = LoggerFactory.getLogger(Scripts.class);
  private static final int TAIL_LINES = 40;

  private final Path dir;
  private final Map<String, String> env;

  Scripts(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = Map.copyOf(env);
  }

  /**
   * The directory holding the scripts: the system property {@code localkube.scriptDir}, else the
   * first {@code localkube/} found walking up from the working directory.
   */
  static Path locate() {
    String property = System.getProperty("localkube.scriptDir");
    if (property != null) {
      return checked(Path.of(property));
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      for (Path candidate : List.of(p, p.resolve("localkube"))) {
        if (Files.isRegularFile(candidate.resolve("control-plane.sh"))) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "cannot find localkube/control-plane.sh above "
            + Path.of("").toAbsolutePath()
            + ": run from the repository or set -Dlocalkube.scriptDir=<repo>/localkube");
  }

  private static Path checked(Path dir) {
    if (!Files.isRegularFile(dir.resolve("control-plane.sh"))) {
      throw new IllegalStateException("no control-plane.sh in " + dir + " (localkube.scriptDir)");
    }
    return dir.toAbsolutePath();
  }

  /** Runs a script to completion; its output goes to the log, its last lines into the error. */
  List<String> run(Duration timeout, String script, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(dir.resolve(script).toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    LOG.info("running {}", String.join(" ", command));
    Process process = pb.start();
    process.getOutputStream().close();
    Deque<String> tail = new ArrayDeque<>();
    List<String> lines = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  LOG.info("[{}] {}", script, line);
                  synchronized (tail) {
                    lines.add(line);
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                      tail.removeFirst();
                    }
                  }
                }
              } catch (IOException ignored) {
                // the process is gone; whatever was read is in the log
              }
            },
            "localkube-" + script);
    reader.setDaemon(true);
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTrees.destroy(process.toHandle(), Duration.ofSeconds(10));
        throw new IOException(
            script
                + " "
                + String.join(" ", args)
                + " did not finish within "
                + timeout
                + "; last output:\n"
                + joined(tail));
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      ProcessTrees.destroy(process.toHandle(), Duration.ofSeconds(10));
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + script, e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          script
              + " "
              + String.join(" ", args)
              + " failed (exit "
              + process.exitValue()
              + "); last output:\n"
              + joined(tail));
    }
    synchronized (tail) {
      return List.copyOf(lines);
    }
  }

  private static String joined(Deque<String> tail) {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }
}
