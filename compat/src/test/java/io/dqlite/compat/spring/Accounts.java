package io.dqlite.compat.spring;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/** A service with {@code @Transactional} methods of each kind the suite checks. */
public class Accounts {
  private final JdbcTemplate jdbc;
  private final AuditLog audit;

  public Accounts(JdbcTemplate jdbc, AuditLog audit) {
    this.jdbc = jdbc;
    this.audit = audit;
  }

  /** REQUIRED all the way: the audit row commits or rolls back with the transfer. */
  @Transactional
  public void transfer(String from, String to, long amount) {
    long balance = balance(from);
    jdbc.update("UPDATE account SET balance = ? WHERE name = ?", balance - amount, from);
    jdbc.update("UPDATE account SET balance = balance + ? WHERE name = ?", amount, to);
    audit.record("transfer " + amount + " " + from + " -> " + to);
    if (balance - amount < 0) {
      throw new IllegalStateException("insufficient funds in " + from);
    }
  }

  /**
   * The audit row is written first, in a transaction of its own, and stays when the transfer fails.
   */
  @Transactional
  public void transferAuditedFirst(String from, String to, long amount) {
    audit.recordInNewTransaction("attempt " + amount + " " + from + " -> " + to);
    transfer(from, to, amount);
  }

  /** Writes, then asks for a new transaction that writes: see docs/frameworks.md. */
  @Transactional
  public void transferAuditedAfter(String from, String to, long amount) {
    jdbc.update("UPDATE account SET balance = balance - ? WHERE name = ?", amount, from);
    audit.recordInNewTransaction("after " + amount + " " + from + " -> " + to);
  }

  @Transactional(readOnly = true)
  public long balanceReadOnly(String name) {
    return balance(name);
  }

  /** A read in a transaction that is not marked read-only. */
  @Transactional
  public long balanceInWriteTransaction(String name) {
    return balance(name);
  }

  /** Writes, then keeps the transaction (and the writer turn) open until {@code release}. */
  @Transactional
  public void depositAndHold(
      String name, long amount, CountDownLatch holding, CountDownLatch release)
      throws InterruptedException {
    jdbc.update("UPDATE account SET balance = balance + ? WHERE name = ?", amount, name);
    holding.countDown();
    if (!release.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not released");
    }
  }

  /** The unit of work of the concurrency load. */
  @Transactional
  public void increment(int thread, int seq, int totalId) {
    long mine = jdbc.queryForObject("SELECT n FROM counter WHERE id = ?", Long.class, thread);
    long total = jdbc.queryForObject("SELECT n FROM counter WHERE id = ?", Long.class, totalId);
    jdbc.update("UPDATE counter SET n = ? WHERE id = ?", mine + 1, thread);
    jdbc.update("UPDATE counter SET n = ? WHERE id = ?", total + 1, totalId);
    jdbc.update(
        "INSERT INTO event (thread, seq, at) VALUES (?, ?, ?)",
        thread,
        seq,
        java.sql.Timestamp.from(java.time.Instant.now()));
  }

  /** The audit rows, in a read-only transaction of the audit log. */
  public int auditCount() {
    return audit.count();
  }

  long balance(String name) {
    return jdbc.queryForObject("SELECT balance FROM account WHERE name = ?", Long.class, name);
  }
}
