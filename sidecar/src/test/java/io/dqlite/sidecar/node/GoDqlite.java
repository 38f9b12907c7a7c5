package io.dqlite.sidecar.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * go-dqlite's tools as test peers: the {@code dqlite} shell and {@code dqlite-demo} nodes. Every
 * process is bounded in time and destroyed by {@link Demo#close()}.
 */
public final class GoDqlite {

  /** This engineer's loopback range; the whole 127/8 is loopback on Linux. */
  public static final String HOST = "127.0.3.1";

  private GoDqlite() {}

  /** A free port on {@code host} now (a tiny race with other processes is accepted). */
  public static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String freeAddress() {
    return HOST + ":" + freePort(HOST);
  }

  /** What a finished process printed. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + ", stdout: " + stdout + ", stderr: " + stderr;
    }
  }

  /** {@code dqlite -s servers database command}, killed after 30 s. */
  public static Result shell(String servers, String database, String command) {
    return run(List.of("dqlite", "-s", servers, database, command));
  }

  static Result run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).start();
      process.getOutputStream().close();
      boolean done = process.waitFor(30, TimeUnit.SECONDS);
      if (!done) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Result(-1, "", "timed out: " + command);
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.exitValue(), out.strip(), err.strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A running {@code dqlite-demo}: go-dqlite's App with an HTTP key/value API. Its files live in
   * {@code dir/<dbAddress>/}.
   */
  public static final class Demo implements AutoCloseable {
    private final Process process;
    private final Path log;
    public final String apiAddress;
    public final String dbAddress;
    public final Path dir;

    private Demo(Process process, Path log, String api, String db, Path dir) {
      this.process = process;
      this.log = log;
      this.apiAddress = api;
      this.dbAddress = db;
      this.dir = dir;
    }

    /** Starts {@code dqlite-demo -a api -d db -D dir [-j join...]}. */
    public static Demo start(Path dir, String dbAddress, String... join) throws IOException {
      String api = freeAddress();
      List<String> command =
          new ArrayList<>(List.of("dqlite-demo", "-a", api, "-d", dbAddress, "-D", dir.toString()));
      for (String address : join) {
        command.add("-j");
        command.add(address);
      }
      Files.createDirectories(dir);
      Path log = dir.resolve("demo-" + dbAddress.replace(':', '_') + ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new Demo(process, log, api, dbAddress, dir);
    }

    /** The node's own directory, where info.yaml and cluster.yaml appear. */
    public Path nodeDir() {
      return dir.resolve(dbAddress);
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    public String log() {
      try {
        return Files.exists(log) ? Files.readString(log) : "";
      } catch (IOException e) {
        return "(cannot read " + log + ": " + e + ")";
      }
    }

    /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
