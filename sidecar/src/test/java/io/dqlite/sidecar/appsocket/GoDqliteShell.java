package io.dqlite.sidecar.appsocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs go-dqlite's {@code dqlite} shell, bounded in time; the process is killed on timeout. */
public final class GoDqliteShell {

  /** What the shell printed and how it ended. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private GoDqliteShell() {}

  /** {@code dqlite -s SERVERS DATABASE SQL}, at most 60 s. */
  public static Result run(String servers, String database, String sql) {
    ProcessBuilder pb =
        new ProcessBuilder(List.of("dqlite", "-s", servers, database, sql))
            .redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run the dqlite shell (apt-get install go-dqlite)", e);
    }
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                return "(cannot read the output: " + e.getMessage() + ")";
              }
            });
    try {
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        return new Result(-1, output.getNow("") + "\n(timed out after 60 s)");
      }
      return new Result(p.exitValue(), output.get(10, TimeUnit.SECONDS).trim());
    } catch (IOException | ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      return new Result(-1, "cannot read the shell's output: " + e.getMessage());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
