package io.dqlite.client.model;

/**
 * The connection to a node failed (dial, I/O error, end of stream) and was closed. Any request in
 * flight has an unknown outcome. Open a new connection, to the leader for SQL.
 */
public class DqliteConnectionException extends DqliteException {

  private static final long serialVersionUID = 1L;

  public DqliteConnectionException(String message, String address, Throwable cause) {
    super(0, message, address, cause);
  }

  @Override
  public boolean isConnectionBroken() {
    return true;
  }
}
