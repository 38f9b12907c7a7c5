package io.dqlite.sidecar.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.dqlite.sidecar.daemon.SidecarOptions.LogFormat;
import org.slf4j.LoggerFactory;

/**
 * Configures logback from the flags, replacing any file configuration: one line per event on
 * standard output, plain ({@code 2026-11-25T13:37:42.229Z INFO [thread] logger - message}) or JSON
 * (logback's {@code JsonEncoder}: one object per line with timestamp, level, thread, logger,
 * formatted message and any throwable). Logback installs no shutdown hook here, so the daemon's own
 * hook can still log while it hands over; {@link #stop()} flushes at the very end.
 */
final class LogSetup {

  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level [%thread] %logger{36} - %msg%n";

  private LogSetup() {}

  static void configure(LogFormat format, String level) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    Encoder<ILoggingEvent> encoder;
    if (format == LogFormat.JSON) {
      JsonEncoder json = new JsonEncoder();
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithArguments(false);
      json.setWithMessage(false);
      json.setWithFormattedMessage(true);
      encoder = json;
    } else {
      PatternLayoutEncoder plain = new PatternLayoutEncoder();
      plain.setPattern(PATTERN);
      encoder = plain;
    }
    encoder.setContext(ctx);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(ctx);
    console.setName("console");
    console.setEncoder(encoder);
    console.start();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level, Level.INFO));
    root.addAppender(console);
    // The Kubernetes client logs its HTTP machinery at debug; keep it to warnings.
    ctx.getLogger("io.fabric8").setLevel(Level.WARN);
  }

  /** Flushes and stops logging; the last thing the process does. */
  static void stop() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
  }
}
