package io.dqlite.client.jdbc;

import io.dqlite.client.model.ErrorCodes;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The writers of one database in this JVM, queued in arrival order. dqlite 1.11 has one writer per
 * database and answers "busy" at once to every other, so writers that race for the lock poll with
 * back-off, and the unlucky ones wait many back-off periods for a lock that was free most of the
 * time. A fair in-process permit, held from a transaction's first write to its end (or around one
 * auto-commit write), hands the lock over in order instead: only writers of other processes (or of
 * data sources with another node list) are still polled for.
 *
 * <p>A permit, not a lock: a JDBC connection may commit on another thread than the one that wrote.
 * Waiting is bounded by {@code busyTimeout}: a writer that does not get the permit in time fails
 * with 55006, as it would with SQLite's own busy answer. Two connections used by one thread cannot
 * deadlock: the second fails at once with 25001 (not retryable) when the first holds the permit.
 */
final class WriterQueue {

  private static final ConcurrentMap<String, WriterQueue> SHARED = new ConcurrentHashMap<>();

  private final String name;
  private final Semaphore permit = new Semaphore(1, true);
  private final GroupCommit group;

  /**
   * The thread that took the permit, while it is held: a second connection of that same thread
   * would wait for a turn only its own first connection can give back.
   */
  private volatile Thread holder;

  WriterQueue(String name) {
    this.name = name;
    this.group = new GroupCommit(name);
  }

  /**
   * The queue of database {@code database} on the cluster seeded by {@code addresses}, shared by
   * every connection of this JVM that names the same nodes (in any order) and database.
   */
  static WriterQueue shared(Collection<String> addresses, String database) {
    String key = String.join(",", new TreeSet<>(addresses)) + "/" + database;
    return SHARED.computeIfAbsent(key, WriterQueue::new);
  }

  /** What the queue is for, in messages. */
  String name() {
    return name;
  }

  /**
   * Whether {@code statement}, about to run, needs the permit: it writes, or it is a BEGIN that
   * takes the write lock at once. Pure.
   */
  static boolean needed(SqlScript.Statement statement) {
    return switch (statement.kind()) {
      case QUERY -> !statement.readOnly();
      case UPDATE, PRAGMA_SET -> true;
      case BEGIN -> takesWriteLock(statement.sql());
      case COMMIT, ROLLBACK, ROLLBACK_TO, SAVEPOINT, RELEASE -> false;
    };
  }

  /** Whether a BEGIN takes SQLite's write lock at once. */
  private static boolean takesWriteLock(String begin) {
    String upper = begin.toUpperCase(Locale.ROOT);
    return upper.contains("IMMEDIATE") || upper.contains("EXCLUSIVE");
  }

  /**
   * Waits for the permit, in arrival order.
   *
   * @return false when {@code timeout} passed first
   */
  boolean acquire(Duration timeout) throws InterruptedException {
    if (!permit.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    holder = Thread.currentThread();
    return true;
  }

  /** Gives the permit to the next writer; only the holder calls it, once per acquire. */
  void release() {
    holder = null;
    permit.release();
  }

  /** Whether the permit is held by a connection that took it on the calling thread. */
  boolean heldByThisThread() {
    return holder == Thread.currentThread();
  }

  /** The group commit of this database's auto-commit writes. */
  GroupCommit group() {
    return group;
  }

  /** Writers waiting now (for tests and diagnostics). */
  int waiting() {
    return permit.getQueueLength();
  }

  /**
   * One connection's place in a queue (or in none). Used by the connection's thread, except that
   * the cleaner of a connection the application dropped without closing it may hand the turn on
   * while the owner finishes its last statement: giving the turn back is therefore atomic, so the
   * permit is released once, never twice.
   */
  static final class Turn {
    private final WriterQueue queue;
    private final AtomicBoolean held = new AtomicBoolean();

    /**
     * @param queue the queue, or null when writers are not queued
     */
    Turn(WriterQueue queue) {
      this.queue = queue;
    }

    /**
     * Waits for the turn when {@code statement} needs it ({@link #needed}) and it is not held yet.
     *
     * @throws SQLException 55006 when {@code timeout} passed first; HY008 when interrupted
     */
    void await(SqlScript.Statement statement, Duration timeout) throws SQLException {
      if (queue == null || held.get() || !needed(statement)) {
        return;
      }
      if (queue.heldByThisThread()) {
        // Waiting would last busyTimeout and fail anyway: the turn is held by another connection
        // this thread opened a transaction on, and it is given back only when that one ends. Not
        // a busy error (55006, retryable): a retry on this thread meets the same held turn.
        throw SqlErrors.create(
            DqliteSqlState.ACTIVE_SQL_TRANSACTION,
            "cannot write: this thread already holds the "
                + queue
                + " on another connection, in a transaction that has not ended (an outer"
                + " transaction around a new one, such as Spring's REQUIRES_NEW inside a writing"
                + " @Transactional). This connection cannot write before that transaction ends;"
                + " nothing was applied. Write in the outer transaction, end it first, or mark"
                + " the inner one read-only if it only reads. Retrying cannot help. Statement: "
                + SqlErrors.abbreviate(statement.sql()),
            0,
            null);
      }
      try {
        if (!queue.acquire(timeout)) {
          throw SqlErrors.create(
              DqliteSqlState.OBJECT_IN_USE,
              "database is busy: other writers of this process held the "
                  + queue
                  + " for "
                  + timeout.toMillis()
                  + " ms (busyTimeout); nothing was applied, retry. Statement: "
                  + SqlErrors.abbreviate(statement.sql()),
              ErrorCodes.SQLITE_BUSY,
              null);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting in the " + queue, "HY008", e);
      }
      held.set(true);
    }

    /** Hands the turn on unless a transaction still needs it; false: in every case (close). */
    void endUnless(boolean transactionOpen) {
      if (!transactionOpen && held.compareAndSet(true, false)) {
        queue.release();
      }
    }

    boolean held() {
      return held.get();
    }

    /**
     * Whether another connection of the calling thread holds the queue's turn: a write here would
     * fail at once ({@link #await}), and must not lead a group commit in which it would fail the
     * other threads' writes too.
     */
    boolean heldByAnotherConnectionOfThisThread() {
      return queue != null && !held.get() && queue.heldByThisThread();
    }

    /** The group commit of the queue's database, or null when writers are not queued. */
    GroupCommit group() {
      return queue == null ? null : queue.group();
    }
  }

  @Override
  public String toString() {
    return "writer queue of " + name;
  }
}
