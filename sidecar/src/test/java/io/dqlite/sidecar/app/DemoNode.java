package io.dqlite.sidecar.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code dqlite-demo} process: go-dqlite 1.11.5's App behind a small HTTP key/value API. Its
 * files live in {@code dir/<dbAddress>/}. Its API listens only once its App is ready and the demo
 * table exists, which is what {@link #isUp()} checks. {@link #stop()} is SIGTERM, on which the demo
 * hands over and closes; {@link #kill()} is SIGKILL.
 */
final class DemoNode implements AutoCloseable {

  private final Process process;
  private final Path log;
  final String apiAddress;
  final String dbAddress;
  final Path dir;

  private DemoNode(Process process, Path log, String api, String db, Path dir) {
    this.process = process;
    this.log = log;
    this.apiAddress = api;
    this.dbAddress = db;
    this.dir = dir;
  }

  /** {@code dqlite-demo -a <free port on db's host> -d db -D dir [-j join]...}. */
  static DemoNode start(Path dir, String dbAddress, List<String> join) throws IOException {
    String host = dbAddress.substring(0, dbAddress.lastIndexOf(':'));
    String api = Loopback.freeAddress(host);
    List<String> command =
        new ArrayList<>(List.of("dqlite-demo", "-a", api, "-d", dbAddress, "-D", dir.toString()));
    for (String address : join) {
      command.add("-j");
      command.add(address);
    }
    Files.createDirectories(dir);
    Path log = dir.resolve("demo-" + dbAddress.replace(':', '_') + ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new DemoNode(process, log, api, dbAddress, dir);
  }

  /** Where go-dqlite's App keeps info.yaml, cluster.yaml and the raft data. */
  Path nodeDir() {
    return dir.resolve(dbAddress);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Whether the HTTP API accepts connections, i.e. the demo's App is ready. */
  boolean isUp() {
    if (!process.isAlive()) {
      throw new AssertionError("dqlite-demo " + dbAddress + " exited: " + log());
    }
    int colon = apiAddress.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(
              apiAddress.substring(0, colon), Integer.parseInt(apiAddress.substring(colon + 1))),
          1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** SIGTERM: the demo hands over, then closes; waits at most 90 s, then SIGKILL. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGSTOP: the process keeps its sockets but answers nothing until {@link #resume()}. */
  void suspend() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #suspend()}; harmless on a running process. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    Process kill =
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** SIGKILL, as a crash: no handover (a suspended process is killed too). */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
