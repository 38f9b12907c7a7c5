package io.dqlite.client.model;

/**
 * A dqlite request failed. This base class carries a failure response from a node: the SQLite or
 * dqlite result code and the node's message. Subclasses report broken connections ({@link
 * DqliteConnectionException}), timeouts and a failed leader search ({@link NoLeaderException}).
 */
public class DqliteException extends Exception {

  private static final long serialVersionUID = 1L;

  private final long code;
  private final String address;

  /**
   * A failure response.
   *
   * @param code the SQLite extended result code or dqlite code the node sent; 0 when there is none
   * @param message what failed, with the node's own message
   * @param address the node's address, or null when no single node is concerned
   */
  public DqliteException(long code, String message, String address) {
    this(code, message, address, null);
  }

  public DqliteException(long code, String message, String address, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.address = address;
  }

  /** The SQLite extended result code or dqlite code; 0 when the node sent none. */
  public long code() {
    return code;
  }

  /** The primary SQLite code, i.e. the low byte of {@link #code()}. */
  public int primaryCode() {
    return ErrorCodes.primary(code);
  }

  /** The address of the node concerned, or null. */
  public String address() {
    return address;
  }

  /**
   * True when the node is not, or stopped being, the leader. The connection must be replaced by one
   * to the current leader; a write that failed this way may or may not have been committed.
   */
  public boolean isLeadershipLost() {
    return ErrorCodes.isLeadershipLost(code);
  }

  /** True for SQLITE_BUSY and SQLITE_LOCKED (and their extended codes). */
  public boolean isBusy() {
    return ErrorCodes.isBusy(code);
  }

  /** True for a constraint violation (SQLITE_CONSTRAINT and its extended codes). */
  public boolean isConstraintViolation() {
    return primaryCode() == ErrorCodes.SQLITE_CONSTRAINT;
  }

  /**
   * True when this connection can no longer be used: it was closed, or the node is no longer the
   * leader. A caller should find the leader again and open a new connection.
   */
  public boolean isConnectionBroken() {
    return isLeadershipLost();
  }

  /**
   * True when the same operation may succeed if tried again, possibly on a new connection to the
   * new leader: busy/locked, leadership lost, broken connections, no leader found yet. SQL and
   * constraint errors are not retryable.
   */
  public boolean isRetryable() {
    return isBusy() || isConnectionBroken();
  }
}
