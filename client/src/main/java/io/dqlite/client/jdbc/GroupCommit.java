package io.dqlite.client.jdbc;

import io.dqlite.client.model.ErrorCodes;
import io.dqlite.client.protocol.ExecResult;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for the auto-commit writes of one database from this JVM ({@code groupCommit}).
 * dqlite commits one transaction per database at a time, each a raft round trip (the leader's
 * fsync, a quorum's acknowledgement), so N connections that write at once wait up to N rounds in
 * the {@link WriterQueue}. Here the writes that queued while a round was in flight run together, on
 * the connection of one of their writers (the group's leader), as one transaction: {@code BEGIN
 * IMMEDIATE}, each write, {@code COMMIT}. One round for all of them.
 *
 * <p>Every write keeps its own outcome: its update count and rowid, or its own error. A write that
 * fails is taken out and the others run again in a new group (nothing was committed); a group that
 * loses its leader or connection before COMMIT runs again on the new leader, up to {@link
 * #MAX_ATTEMPTS} times; a COMMIT in flight when the connection died (08007) fails every write of
 * the group, as it would fail each of them alone. The rules are {@link #fate}, a pure function.
 *
 * <p>One writer leads at a time, from the submitting thread: no thread of its own. Waiting for a
 * place in a group is bounded by the writer's {@code busyTimeout}, like the writer queue.
 */
final class GroupCommit {

  /** Most writes in one transaction: bounds the time a group holds the database. */
  static final int MAX_GROUP = 64;

  /**
   * How long a new leader waits for the writers of the previous group to queue again: writers that
   * loop (a worker pool, a batch job) come back microseconds after their write returns, and without
   * the wait the group would leave without them, for a group of one followed by a group of the rest
   * (each write then waits for two rounds, not one). A lone writer never waits: it was the whole
   * previous group.
   */
  static final long GATHER_NANOS = 200_000;

  /** Rounds a write may lose to leader changes before it fails with the last error. */
  static final int MAX_ATTEMPTS = 3;

  /** Where a group failed. */
  enum Stage {
    BEGIN,
    STATEMENT,
    COMMIT
  }

  /** What a group's failure does to its writes. */
  enum Fate {
    /** The failing write gets the error; the others run again (nothing was committed). */
    THAT_WRITE,
    /** The group met a leader change or a lost connection before COMMIT ran: all run again. */
    RETRY_ALL,
    /** Every write gets the error: the COMMIT's outcome is unknown, or no leader was found. */
    FAIL_ALL,
    /** COMMIT refused the group for a reason one of its writes caused: run each one alone. */
    RUN_ALONE
  }

  /** A group runner: the leader's session. */
  @FunctionalInterface
  interface Runner {
    /** Runs {@code group}, settling each write ({@link Write#succeeded}, {@link #settle}). */
    void run(List<Write> group);
  }

  /** One auto-commit write waiting for, or running in, a group. */
  static final class Write {
    final SqlScript.Statement statement;
    final List<Object> params;
    final Duration timeout;
    final boolean reusePrepared;
    private ExecResult result;
    private SQLException failure;
    private int attempts;
    private boolean alone;
    private boolean taken;

    /**
     * @param timeout the statement's query timeout, or null for the leader's request timeout
     * @param reusePrepared whether the leader runs it as a prepared statement from its statement
     *     cache (a PreparedStatement's write) or as SQL text sent whole (a plain Statement's)
     */
    Write(
        SqlScript.Statement statement,
        List<Object> params,
        Duration timeout,
        boolean reusePrepared) {
      this.statement = statement;
      this.params = params; // a fresh list per execution; may hold nulls (SQL NULL)
      this.timeout = timeout;
      this.reusePrepared = reusePrepared;
    }

    void succeeded(ExecResult r) {
      result = r;
    }

    void failed(SQLException e) {
      failure = e;
    }

    boolean done() {
      return result != null || failure != null;
    }

    /** Back to the queue after a failure that was not its own; fails it past the last attempt. */
    void retry(SQLException cause) {
      if (++attempts >= MAX_ATTEMPTS) {
        failure = cause;
      }
    }
  }

  private final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition settled = lock.newCondition();
  private final Condition arrived = lock.newCondition();
  private final Deque<Write> pending = new ArrayDeque<>();
  private boolean leading;
  private int lastGroupSize;
  private long groupedWrites;

  GroupCommit(String name) {
    this.name = name;
  }

  /**
   * What a failure at {@code stage} with {@code sqlState} does to the group. Pure.
   *
   * <p>A failure that is not about the statement (a lost connection or leadership, 08xxx/40xxx; a
   * busy answer; a timeout) leaves nothing committed before COMMIT: the group runs again. The
   * exceptions: no leader found (08001: the search already took {@code leaderTimeout}), a busy
   * BEGIN (it was retried for {@code busyTimeout}), and a COMMIT whose outcome is unknown (08007).
   */
  static Fate fate(Stage stage, String sqlState) {
    String state = sqlState == null ? "" : sqlState;
    boolean notAboutTheStatement =
        state.startsWith("08")
            || state.startsWith("40")
            || state.equals(DqliteSqlState.OBJECT_IN_USE.state())
            || state.equals(DqliteSqlState.QUERY_CANCELED.state())
            || state.equals("HY008");
    if (state.equals(DqliteSqlState.UNABLE_TO_CONNECT.state())
        || state.equals(DqliteSqlState.TRANSACTION_RESOLUTION_UNKNOWN.state())
            && stage == Stage.COMMIT) {
      return Fate.FAIL_ALL;
    }
    return switch (stage) {
      case BEGIN ->
          notAboutTheStatement && !state.equals(DqliteSqlState.OBJECT_IN_USE.state())
              ? Fate.RETRY_ALL
              : Fate.FAIL_ALL;
      case STATEMENT -> notAboutTheStatement ? Fate.RETRY_ALL : Fate.THAT_WRITE;
      case COMMIT -> notAboutTheStatement ? Fate.RETRY_ALL : Fate.RUN_ALONE;
    };
  }

  /** Applies {@link #fate} to {@code group}, whose write {@code index} (for STATEMENT) failed. */
  static void settle(List<Write> group, Stage stage, int index, SQLException e) {
    switch (fate(stage, e.getSQLState())) {
      case THAT_WRITE -> group.get(index).failed(e);
      case RETRY_ALL -> group.forEach(w -> w.retry(e));
      case FAIL_ALL -> group.forEach(w -> w.failed(e));
      case RUN_ALONE -> group.forEach(w -> w.alone = true);
    }
  }

  /**
   * Runs {@code write} in a group and returns its result: leads groups through {@code runner} when
   * no other writer does, otherwise waits for a leader to run it.
   *
   * @param wait how long the write may wait for a place in a group (busyTimeout)
   * @throws SQLException the write's own failure; 55006 when it found no place in time
   */
  ExecResult submit(Write write, Runner runner, Duration wait) throws SQLException {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean interrupted = false;
    lock.lock();
    try {
      pending.addLast(write);
      arrived.signal();
      while (!write.done()) {
        if (!leading) {
          lead(runner, write);
          continue;
        }
        long left = deadline - System.nanoTime();
        if (!write.taken && (left <= 0 || interrupted)) {
          pending.remove(write);
          throw interrupted ? interruptedWaiting() : busy(write, wait);
        }
        try {
          if (write.taken) {
            settled.await();
          } else {
            settled.awaitNanos(left);
          }
        } catch (InterruptedException e) {
          interrupted = true; // a write already in a group waits for its outcome all the same
        }
      }
    } finally {
      lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (write.failure != null) {
      throw ownCopy(write.failure);
    }
    return write.result;
  }

  /** Runs groups from the head of the queue until {@code own} is settled; called with the lock. */
  private void lead(Runner runner, Write own) {
    leading = true;
    try {
      while (!own.done()) {
        gather();
        List<Write> group = take();
        lastGroupSize = group.size();
        lock.unlock();
        try {
          runner.run(group);
        } catch (RuntimeException e) {
          SQLException failure =
              new SQLException(
                  "group commit failed in the driver: " + e,
                  DqliteSqlState.GENERAL_ERROR.state(),
                  e);
          group.stream().filter(w -> !w.done()).forEach(w -> w.failed(failure));
        } finally {
          // Also after an Error: writes left in limbo would wait for an outcome forever.
          lock.lock();
          if (group.size() > 1) {
            groupedWrites += group.stream().filter(w -> w.result != null).count();
          }
          putBack(group);
          settled.signalAll();
        }
        if (!own.done() && Thread.currentThread().isInterrupted()) {
          pending.remove(own);
          own.failed(interruptedWaiting());
        }
      }
    } finally {
      leading = false;
      if (!own.done()) {
        pending.remove(own); // an Error ends this call: the write must not run after it
      }
      settled.signalAll(); // a waiting writer takes the lead
    }
  }

  /** Waits, at most GATHER_NANOS, until as many writes queue as the previous group held. */
  private void gather() {
    long until = System.nanoTime() + GATHER_NANOS;
    try {
      for (long left = GATHER_NANOS;
          pending.size() < lastGroupSize && left > 0;
          left = until - System.nanoTime()) {
        arrived.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next group: the head alone if it must run alone, else up to MAX_GROUP writes. */
  private List<Write> take() {
    List<Write> group = new ArrayList<>();
    while (!pending.isEmpty() && group.size() < MAX_GROUP) {
      Write next = pending.peekFirst();
      if (next.alone && !group.isEmpty()) {
        break;
      }
      pending.pollFirst();
      next.taken = true;
      group.add(next);
      if (next.alone) {
        break;
      }
    }
    return group;
  }

  /** Unsettled writes go back to the head of the queue, in their order. */
  private void putBack(List<Write> group) {
    for (int i = group.size() - 1; i >= 0; i--) {
      Write w = group.get(i);
      w.taken = false;
      if (!w.done()) {
        pending.addFirst(w);
      }
    }
  }

  /** Writes committed in groups of two or more so far (tests and diagnostics). */
  long groupedWrites() {
    lock.lock();
    try {
      return groupedWrites;
    } finally {
      lock.unlock();
    }
  }

  /** Writes waiting for a group now (tests and diagnostics). */
  int waiting() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  private SQLException busy(Write write, Duration wait) {
    return SqlErrors.create(
        DqliteSqlState.OBJECT_IN_USE,
        "database is busy: the write found no place in a group commit of "
            + name
            + " within "
            + wait.toMillis()
            + " ms (busyTimeout); nothing was applied, retry. Statement: "
            + SqlErrors.abbreviate(write.statement.sql()),
        ErrorCodes.SQLITE_BUSY,
        null);
  }

  private SQLException interruptedWaiting() {
    return new SQLException("interrupted while waiting for a group commit of " + name, "HY008");
  }

  /**
   * The failure as this writer's thread throws it: a failure shared by a group is thrown by several
   * threads, so each gets its own instance (same class, state, code and message).
   */
  private static SQLException ownCopy(SQLException e) {
    return DqliteSqlState.of(e.getSQLState())
        .map(s -> SqlErrors.create(s, e.getMessage(), e.getErrorCode(), e))
        .orElseGet(() -> new SQLException(e.getMessage(), e.getSQLState(), e.getErrorCode(), e));
  }

  @Override
  public String toString() {
    return "group commit of " + name;
  }
}
