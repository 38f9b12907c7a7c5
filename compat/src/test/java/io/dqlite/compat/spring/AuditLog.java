package io.dqlite.compat.spring;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Audit rows, written in the caller's transaction or in a new one. */
public class AuditLog {
  private final JdbcTemplate jdbc;

  public AuditLog(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional
  public void record(String what) {
    jdbc.update("INSERT INTO audit (what) VALUES (?)", what);
  }

  /** Kept whatever becomes of the caller's transaction. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void recordInNewTransaction(String what) {
    jdbc.update("INSERT INTO audit (what) VALUES (?)", what);
  }

  @Transactional(readOnly = true)
  public int count() {
    return jdbc.queryForObject("SELECT count(*) FROM audit", Integer.class);
  }
}
