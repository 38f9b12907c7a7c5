package io.dqlite.client.model;

/**
 * SQLite and dqlite result codes that a failure response can carry, as libdqlite 1.11.1 sends them
 * (extended SQLite codes: the primary code is the low byte).
 */
public final class ErrorCodes {

  /** Generic error, including SQL syntax errors. */
  public static final int SQLITE_ERROR = 1;

  /** The database is busy: another writer holds the lock, or a configuration change is running. */
  public static final int SQLITE_BUSY = 5;

  /**
   * SQLITE_BUSY_SNAPSHOT: a transaction that read an older snapshot tried to write after another
   * transaction committed; only the whole transaction, begun again, can succeed.
   */
  public static final int SQLITE_BUSY_SNAPSHOT = 517;

  /** A table is locked by another statement on the same database. */
  public static final int SQLITE_LOCKED = 6;

  /** I/O error; dqlite also uses its extended codes for leadership problems. */
  public static final int SQLITE_IOERR = 10;

  /** Not found; dqlite answers it for an unknown database or statement id. */
  public static final int SQLITE_NOTFOUND = 12;

  /** Protocol error (SQLite's own code, used by dqlite for a bad describe format). */
  public static final int SQLITE_PROTOCOL = 15;

  /** A constraint (UNIQUE, NOT NULL, CHECK, FOREIGN KEY) was violated. */
  public static final int SQLITE_CONSTRAINT = 19;

  /** The write could not be applied because this node is not the raft leader. */
  public static final int SQLITE_IOERR_NOT_LEADER = SQLITE_IOERR | (40 << 8); // 10250

  /** Leadership was lost while the write was in flight: its outcome is unknown. */
  public static final int SQLITE_IOERR_LEADERSHIP_LOST = SQLITE_IOERR | (41 << 8); // 10506

  /** Pre-1.0 dqlite's not-leader code, still recognised by go-dqlite. */
  public static final int SQLITE_IOERR_NOT_LEADER_LEGACY = SQLITE_IOERR | (32 << 8); // 8202

  /** Pre-1.0 dqlite's leadership-lost code, still recognised by go-dqlite. */
  public static final int SQLITE_IOERR_LEADERSHIP_LOST_LEGACY = SQLITE_IOERR | (33 << 8); // 8458

  /** dqlite's protocol error code. */
  public static final int DQLITE_PROTO = 1001;

  /** dqlite's parse error code (a request it could not decode). */
  public static final int DQLITE_PARSE = 1005;

  private ErrorCodes() {}

  /** The primary SQLite code: the low byte of an extended code. */
  public static int primary(long code) {
    return (int) (code & 0xff);
  }

  /** True for the codes that mean "this node is not (or no longer) the leader". */
  public static boolean isLeadershipLost(long code) {
    return code == SQLITE_IOERR_NOT_LEADER
        || code == SQLITE_IOERR_LEADERSHIP_LOST
        || code == SQLITE_IOERR_NOT_LEADER_LEGACY
        || code == SQLITE_IOERR_LEADERSHIP_LOST_LEGACY;
  }

  /** True for busy and locked, which go away when retried later. */
  public static boolean isBusy(long code) {
    int primary = primary(code);
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
  }
}
