package io.dqlite.client.jdbc;

import io.dqlite.client.protocol.ExecResult;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link GroupCommit}'s writes on the session that leads the group: a write alone as an
 * ordinary auto-commit write, several as one transaction. Settles every write it can ({@link
 * GroupCommit#settle}).
 */
final class GroupCommitRunner {

  private static final Logger log = LoggerFactory.getLogger("io.dqlite.client.jdbc");

  private final Session session;

  GroupCommitRunner(Session session) {
    this.session = session;
  }

  void run(List<GroupCommit.Write> group) {
    if (group.size() == 1) {
      GroupCommit.Write write = group.get(0);
      try {
        write.succeeded(exec(write));
      } catch (SQLException e) {
        write.failed(e);
      }
      return;
    }
    ExecResult[] results = new ExecResult[group.size()];
    GroupCommit.Stage stage = GroupCommit.Stage.BEGIN;
    int at = -1;
    try {
      session.executeOwn(Session.BEGIN_IMMEDIATE);
      stage = GroupCommit.Stage.STATEMENT;
      for (at = 0; at < group.size(); at++) {
        results[at] = exec(group.get(at));
      }
      stage = GroupCommit.Stage.COMMIT;
      at = -1;
      session.executeOwn(Session.COMMIT);
    } catch (SQLException e) {
      abandonTransaction();
      GroupCommit.settle(group, stage, at, e);
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).succeeded(results[i]);
    }
  }

  /** One write of a group: prepared from the statement cache, or as text. */
  private ExecResult exec(GroupCommit.Write write) throws SQLException {
    SqlScript.Statement statement = write.statement;
    if (!write.reusePrepared) {
      return session.execute(
          statement, write.timeout, (c, d, g) -> c.execSql(d, statement.sql(), write.params));
    }
    Session.Prepared[] prepared = {session.prepare(statement)};
    try {
      return session.execute(
          statement,
          write.timeout,
          (c, d, g) -> {
            if (prepared[0].generation() != g) {
              prepared[0] = Session.prepare(c, d, g, statement);
            }
            return c.exec(d, prepared[0].info().id(), write.params);
          });
    } finally {
      session.finalizeStatement(prepared[0]);
    }
  }

  /** Rolls back a failed group's transaction, if it is still open, and hands the turn on. */
  private void abandonTransaction() {
    try {
      session.rollback();
    } catch (SQLException e) {
      log.debug("rollback of a group commit's transaction failed: {}", e.getMessage());
    }
    session.transactionAbandoned();
  }
}
