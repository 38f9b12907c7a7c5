package io.dqlite.sidecar.app;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Where the App's log lines go: go-dqlite's {@code client.LogFunc}. The default sends every level
 * to SLF4J (logger {@code io.dqlite.sidecar.app.App}), where the logging configuration filters;
 * go-dqlite's default prints errors only.
 */
@FunctionalInterface
public interface LogFunc {

  /** One event, one line, already formatted. */
  void log(Level level, String message);

  /** Every level to {@code logger}. */
  static LogFunc slf4j(Logger logger) {
    Objects.requireNonNull(logger, "logger");
    return (level, message) -> logger.atLevel(level).log(message);
  }

  /** The default: SLF4J, logger {@code io.dqlite.sidecar.app.App}. */
  static LogFunc slf4j() {
    return slf4j(LoggerFactory.getLogger(App.class));
  }
}
