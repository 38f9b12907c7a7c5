package io.dqlite.sidecar.tls;

import java.io.IOException;
import java.nio.file.Path;

/** A PEM file that cannot be used: unreadable, not PEM, or holding the wrong kind of object. */
public final class PemFileException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  PemFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  PemFileException(Path file, String problem) {
    this(file, problem, null);
  }

  /** From the client library's {@code PemFiles} error, whose message already names the file. */
  PemFileException(Path file, IOException cause) {
    super(cause.getMessage(), cause);
    this.file = file;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }
}
