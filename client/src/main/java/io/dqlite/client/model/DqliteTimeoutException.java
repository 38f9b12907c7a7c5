package io.dqlite.client.model;

/**
 * A dial or request did not complete before its deadline; the connection was closed because its
 * stream position is no longer known.
 */
public class DqliteTimeoutException extends DqliteConnectionException {

  private static final long serialVersionUID = 1L;

  public DqliteTimeoutException(String message, String address, Throwable cause) {
    super(message, address, cause);
  }
}
