package io.dqlite.sidecar.fault;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link LedgerWriter} process inside a node's namespace, writing through its app socket. */
final class WriterProcess implements AutoCloseable {

  /** Bounds of one writer: far above what a scenario needs, so only a hung scenario meets them. */
  private static final int MAX_ROWS = 30_000;

  private static final int MAX_SECONDS = 170;
  private static final int RATE = 100;

  private final Path log;
  private final Path output;
  private final Process process;

  private WriterProcess(Path log, Path output, Process process) {
    this.log = log;
    this.output = output;
    this.process = process;
  }

  static WriterProcess start(
      FaultNetwork net, FaultNode home, String table, int payloadBytes, Path base) {
    Path log = base.resolve(table + ".ledger");
    Path output = base.resolve(table + ".writer.log");
    List<String> cmd = new ArrayList<>(net.exec(home.index()));
    cmd.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            LedgerWriter.class.getName(),
            FaultNode.SOCKET,
            table,
            log.toString(),
            Integer.toString(MAX_ROWS),
            Integer.toString(MAX_SECONDS),
            Integer.toString(RATE),
            Integer.toString(payloadBytes)));
    try {
      Files.deleteIfExists(log);
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      return new WriterProcess(log, output, p);
    } catch (IOException e) {
      throw new UncheckedIOException("start the ledger writer " + cmd, e);
    }
  }

  /** The writer's log lines so far. */
  List<String> lines() {
    try {
      return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("read " + log, e);
    }
  }

  /** Acknowledged writes so far. */
  long acks() {
    return lines().stream().filter(l -> l.startsWith("ack ")).count();
  }

  /** Writes whose outcome the writer could not know (it moved on to the next number). */
  long unknownOutcomes() {
    return lines().stream().filter(l -> l.startsWith("maybe ")).count();
  }

  /** Acknowledged writes at or after {@code epochMillis}. */
  long acksSince(long epochMillis) {
    return lines().stream()
        .filter(l -> l.startsWith("ack "))
        .filter(l -> Long.parseLong(l.split(" ")[2]) >= epochMillis)
        .count();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The writer's own output (JVM errors, an exception that ended it). */
  String output() {
    try {
      return Files.exists(output) ? Files.readString(output) : "";
    } catch (IOException e) {
      return "(cannot read " + output + ")";
    }
  }

  /** Closes its stdin (it finishes the write in flight and exits), and waits for the exit. */
  void stop() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Already gone.
    }
    await("the ledger writer to finish")
        .atMost(Duration.ofSeconds(40))
        .until(() -> !process.isAlive());
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
