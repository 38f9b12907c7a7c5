package io.dqlite.e2e.support;

import io.dqlite.sidecar.fault.LedgerWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The fault suite's {@link LedgerWriter} on a thread of the test JVM: numbered rows appended
 * through the app socket of a pod that is up (asked anew at each reconnection, {@code urls}), every
 * outcome logged to a file in the writer's format ({@code ack N MILLIS}, {@code retry N STATE},
 * {@code maybe N MILLIS STATE message}), which {@code LedgerCheck} reads afterwards.
 */
public final class LedgerRun implements AutoCloseable {

  private final Path log;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile Throwable failure;

  private LedgerRun(Path log, Supplier<String> urls, String table, LedgerWriter.Limits limits)
      throws IOException {
    this.log = log;
    Files.createDirectories(log.getParent());
    Files.deleteIfExists(log);
    PrintStream out =
        new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8);
    this.thread =
        new Thread(
            () -> {
              try (out) {
                LedgerWriter.write(urls, table, out, limits, () -> stopped);
              } catch (SQLException | RuntimeException e) {
                failure = e;
              }
            },
            "e2e-ledger-" + table);
    thread.setDaemon(true);
  }

  /** Starts writing {@code table}, logging to {@code log}. */
  public static LedgerRun start(
      Path log, Supplier<String> urls, String table, LedgerWriter.Limits limits)
      throws IOException {
    LedgerRun run = new LedgerRun(log, urls, table, limits);
    run.thread.start();
    return run;
  }

  /** The log's lines so far. */
  public List<String> lines() {
    try {
      return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("read " + log, e);
    }
  }

  /** Acknowledged writes so far. */
  public long acks() {
    return lines().stream().filter(l -> l.startsWith("ack ")).count();
  }

  /** Acknowledged writes at or after {@code epochMillis}. */
  public long acksSince(long epochMillis) {
    return lines().stream()
        .filter(l -> l.startsWith("ack "))
        .filter(l -> Long.parseLong(l.split(" ")[2]) >= epochMillis)
        .count();
  }

  /**
   * Throws, with the cause, when the writer ended by itself (a limit, or the table not created).
   */
  public void checkRunning() {
    if (!thread.isAlive() && !stopped) {
      throw new IllegalStateException(
          "the ledger writer ended before it was stopped (log " + log + ")", failure);
    }
  }

  public Path log() {
    return log;
  }

  /**
   * Stops writing after the write in flight (bounded by the driver's request timeout) and waits for
   * the thread; idempotent.
   */
  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }

  /**
   * Bounds of the e2e suite's writers: far above what a fault needs, so only a hung one meets them.
   */
  public static LedgerWriter.Limits limits(int ratePerSecond) {
    return new LedgerWriter.Limits(30_000, Duration.ofMinutes(5), ratePerSecond, 0);
  }
}
