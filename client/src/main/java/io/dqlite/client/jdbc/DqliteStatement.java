package io.dqlite.client.jdbc;

import io.dqlite.client.model.DqliteException;
import io.dqlite.client.protocol.ExecResult;
import io.dqlite.client.protocol.Rows;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A plain statement. SQL text may hold several statements ({@code execute} runs them all, in order;
 * {@code getMoreResults} walks their results); each is sent as a query or an exec request according
 * to what it is ({@link SqlScript}).
 */
class DqliteStatement implements Statement, SelfWrapper {

  /**
   * SQLite's result code for "a row is available", which an exec of a row-returning PRAGMA answers.
   */
  private static final int SQLITE_ROW = 100;

  final DqliteConnection connection;
  final Session session;
  private final Deque<Object> pendingResults = new ArrayDeque<>();
  private final List<String> batch = new ArrayList<>();
  private DqliteResultSet resultSet;
  private long updateCount = -1;
  private List<Long> generatedKeys = new ArrayList<>();

  /** Non-null when generated keys were asked for; the label of the keys column. */
  String generatedKeysLabel;

  private int queryTimeoutSeconds;
  private long maxRows;
  private int fetchSize;
  private boolean closeOnCompletion;
  private boolean closed;

  DqliteStatement(DqliteConnection connection, Session session) {
    this.connection = connection;
    this.session = session;
  }

  // ---- execution ----

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    SqlScript.Statement statement = single(sql);
    if (statement.kind() != SqlScript.Kind.QUERY) {
      // Let the node report a syntax error first: "SELEC 1" deserves a 42000, not this message.
      session.finalizeStatement(session.prepare(statement));
      throw new SQLException(
          "executeQuery needs a statement that returns rows; use executeUpdate or execute for: "
              + SqlErrors.abbreviate(sql),
          DqliteSqlState.GENERAL_ERROR.state());
    }
    startExecution();
    resultSet = query(statement, List.of());
    return resultSet;
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, executeLargeUpdate(sql)); // as getUpdateCount
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    List<SqlScript.Statement> statements = script(sql);
    for (SqlScript.Statement s : statements) {
      if (s.kind() == SqlScript.Kind.QUERY) {
        throw new SQLException(
            "executeUpdate cannot run a statement that returns rows; use executeQuery for: "
                + SqlErrors.abbreviate(s.sql()),
            DqliteSqlState.GENERAL_ERROR.state());
      }
    }
    startExecution();
    long count = 0;
    for (SqlScript.Statement s : statements) {
      count = update(s, List.of());
    }
    updateCount = -1;
    return count;
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    List<SqlScript.Statement> statements = script(sql);
    startExecution();
    if (statements.size() == 1) {
      return runOne(statements.get(0), List.of());
    }
    // Several statements: run them all now; their results wait in memory for getMoreResults.
    for (SqlScript.Statement s : statements) {
      if (s.kind() == SqlScript.Kind.QUERY) {
        DqliteResultSet rs = query(s, List.of());
        pendingResults.add(buffered(rs));
      } else {
        pendingResults.add(update(s, List.of()));
      }
    }
    return advance();
  }

  /** Runs one statement and makes its result current. */
  boolean runOne(SqlScript.Statement statement, List<Object> params) throws SQLException {
    if (statement.kind() == SqlScript.Kind.QUERY) {
      resultSet = query(statement, params);
      return true;
    }
    updateCount = update(statement, params);
    return false;
  }

  /** Sends a query: through {@code querySql} here, a prepared statement overrides it. */
  Rows sendQuery(SqlScript.Statement statement, List<Object> params) throws SQLException {
    return session.execute(
        statement,
        timeout(),
        (c, db, g) -> c.querySql(db, statement.sql(), params),
        (begin, begun) ->
            (c, db, g) -> c.querySqlAfterExecSql(db, begin, begun, statement.sql(), params));
  }

  /** Sends an exec: through {@code execSql} here, a prepared statement overrides it. */
  ExecResult sendExec(SqlScript.Statement statement, List<Object> params) throws SQLException {
    return session.execute(
        statement,
        timeout(),
        (c, db, g) -> {
          try {
            return c.execSql(db, statement.sql(), params);
          } catch (DqliteException e) {
            return acceptRowFromPragma(statement, e);
          }
        });
  }

  /** Whether this statement's writes run prepared (a PreparedStatement) or as SQL text. */
  boolean sendsPrepared() {
    return false;
  }

  /** A PRAGMA assignment that answers a row (journal_mode = ...) did run: not an error. */
  static ExecResult acceptRowFromPragma(SqlScript.Statement statement, DqliteException e)
      throws DqliteException {
    if (statement.kind() == SqlScript.Kind.PRAGMA_SET && e.code() == SQLITE_ROW) {
      return new ExecResult(0, 0);
    }
    throw e;
  }

  DqliteResultSet query(SqlScript.Statement statement, List<Object> params) throws SQLException {
    String rowidLabel = params.isEmpty() ? lastInsertRowidLabel(statement) : null;
    Long rowid = rowidLabel == null ? null : session.knownLastInsertRowid();
    if (rowid != null) {
      // The node told it with the last write's result; asking again would cost a round trip.
      DqliteResultSet rs =
          new DqliteResultSet(
              this,
              new ListCursor(
                  List.of(rowidLabel),
                  new int[] {Types.BIGINT},
                  List.<Object[]>of(new Object[] {rowid})),
              this::resultClosed);
      rs.setMaxRows(maxRows);
      return rs;
    }
    Rows rows = sendQuery(statement, params);
    DqliteResultSet rs =
        new DqliteResultSet(
            this, new StreamingCursor(session, statement, rows), this::resultClosed);
    rs.setMaxRows(maxRows);
    return rs;
  }

  /** See {@link SqlScript.Statement#lastInsertRowidLabel()}; a prepared statement keeps it. */
  String lastInsertRowidLabel(SqlScript.Statement statement) {
    return statement.lastInsertRowidLabel();
  }

  long update(SqlScript.Statement statement, List<Object> params) throws SQLException {
    rejectReturning(statement);
    ExecResult result =
        session.groupable(statement)
            ? session.writeInGroup(
                new GroupCommit.Write(statement, params, timeout(), sendsPrepared()))
            : sendExec(statement, params);
    return counted(statement, result);
  }

  /** The update count of {@code result}, keeping its rowid when generated keys were asked for. */
  long counted(SqlScript.Statement statement, ExecResult result) {
    if (generatedKeysLabel != null && statement.insert() && result.rowsAffected() > 0) {
      generatedKeys.add(result.lastInsertId());
    }
    return statement.dml() ? result.rowsAffected() : 0;
  }

  static void rejectReturning(SqlScript.Statement statement) throws SQLException {
    if (statement.returning()) {
      throw SqlErrors.unsupported(
          "RETURNING (libdqlite 1.11 cannot replicate a write that returns rows;"
              + " use Statement.RETURN_GENERATED_KEYS and getGeneratedKeys for the rowid)");
    }
  }

  private static Object buffered(DqliteResultSet rs) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    int[] types = new int[n];
    Arrays.fill(types, Types.NULL);
    List<String> labels = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      labels.add(rs.getMetaData().getColumnLabel(i));
    }
    while (rs.next()) {
      Object[] row = new Object[n];
      for (int i = 0; i < n; i++) {
        row[i] = rs.getObject(i + 1);
        if (types[i] == Types.NULL) {
          types[i] = rs.getMetaData().getColumnType(i + 1);
        }
      }
      rows.add(row);
    }
    rs.close();
    return new ListCursor(labels, types, rows);
  }

  private boolean advance() throws SQLException {
    Object next = pendingResults.poll();
    if (next instanceof ListCursor cursor) {
      resultSet = new DqliteResultSet(this, cursor, this::resultClosed);
      resultSet.setMaxRows(maxRows);
      updateCount = -1;
      return true;
    }
    resultSet = null;
    updateCount = next == null ? -1 : (Long) next;
    return false;
  }

  /** Closes the previous results before a new execution. */
  void startExecution() throws SQLException {
    checkOpen();
    closeResults();
    updateCount = -1;
    generatedKeys = new ArrayList<>();
  }

  private void closeResults() throws SQLException {
    pendingResults.clear();
    DqliteResultSet rs = resultSet;
    resultSet = null;
    if (rs != null) {
      rs.close();
    }
  }

  Duration timeout() {
    return queryTimeoutSeconds == 0 ? null : Duration.ofSeconds(queryTimeoutSeconds);
  }

  private SqlScript.Statement single(String sql) throws SQLException {
    List<SqlScript.Statement> statements = script(sql);
    if (statements.size() != 1) {
      throw new SQLException(
          "expected one SQL statement, got "
              + statements.size()
              + "; use execute() for scripts: "
              + SqlErrors.abbreviate(sql),
          DqliteSqlState.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION.state());
    }
    return statements.get(0);
  }

  List<SqlScript.Statement> script(String sql) throws SQLException {
    checkOpen();
    if (sql == null) {
      throw new SQLException(
          "SQL must not be null", DqliteSqlState.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION.state());
    }
    List<SqlScript.Statement> statements = SqlScript.split(sql);
    if (statements.isEmpty()) {
      throw new SQLException(
          "empty SQL statement", DqliteSqlState.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION.state());
    }
    return statements;
  }

  // ---- results ----

  @Override
  public ResultSet getResultSet() throws SQLException {
    checkOpen();
    return resultSet;
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, getLargeUpdateCount());
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    checkOpen();
    return updateCount;
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return getMoreResults(CLOSE_CURRENT_RESULT);
  }

  @Override
  public boolean getMoreResults(int current) throws SQLException {
    checkOpen();
    DqliteResultSet rs = resultSet;
    resultSet = null;
    if (rs != null && current != KEEP_CURRENT_RESULT) {
      rs.close();
    }
    return advance();
  }

  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    checkOpen();
    String label = generatedKeysLabel == null ? "last_insert_rowid()" : generatedKeysLabel;
    List<Object[]> rows = new ArrayList<>();
    for (Long id : generatedKeys) {
      rows.add(new Object[] {id});
    }
    return new DqliteResultSet(
        this, new ListCursor(List.of(label), new int[] {Types.BIGINT}, rows), null);
  }

  /** Sets which column label getGeneratedKeys uses, or null to collect no keys. */
  void requestGeneratedKeys(String label) {
    generatedKeysLabel = label;
  }

  void requestGeneratedKeys(int autoGeneratedKeys, String[] columnNames) {
    if (columnNames != null && columnNames.length > 0) {
      generatedKeysLabel = columnNames[0];
    } else if (autoGeneratedKeys == RETURN_GENERATED_KEYS) {
      generatedKeysLabel = "last_insert_rowid()";
    } else {
      generatedKeysLabel = null;
    }
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    requestGeneratedKeys(autoGeneratedKeys, null);
    return executeUpdate(sql);
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    requestGeneratedKeys(RETURN_GENERATED_KEYS, null);
    return executeUpdate(sql);
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    requestGeneratedKeys(RETURN_GENERATED_KEYS, columnNames);
    return executeUpdate(sql);
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    requestGeneratedKeys(autoGeneratedKeys, null);
    return executeLargeUpdate(sql);
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    requestGeneratedKeys(RETURN_GENERATED_KEYS, null);
    return executeLargeUpdate(sql);
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    requestGeneratedKeys(RETURN_GENERATED_KEYS, columnNames);
    return executeLargeUpdate(sql);
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    requestGeneratedKeys(autoGeneratedKeys, null);
    return execute(sql);
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    requestGeneratedKeys(RETURN_GENERATED_KEYS, null);
    return execute(sql);
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    requestGeneratedKeys(RETURN_GENERATED_KEYS, columnNames);
    return execute(sql);
  }

  // ---- batches ----

  @Override
  public void addBatch(String sql) throws SQLException {
    checkOpen();
    batch.add(sql);
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen();
    batch.clear();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    long[] counts = executeLargeBatch();
    int[] ints = new int[counts.length];
    for (int i = 0; i < counts.length; i++) {
      ints[i] = (int) Math.min(Integer.MAX_VALUE, counts[i]);
    }
    return ints;
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    startExecution();
    List<String> sqls = new ArrayList<>(batch);
    batch.clear();
    long[] counts = new long[sqls.size()];
    for (int i = 0; i < sqls.size(); i++) {
      try {
        long count = 0;
        for (SqlScript.Statement s : script(sqls.get(i))) {
          if (s.kind() == SqlScript.Kind.QUERY) {
            throw new SQLException(
                "a batch cannot hold a statement that returns rows: "
                    + SqlErrors.abbreviate(s.sql()),
                DqliteSqlState.GENERAL_ERROR.state());
          }
          count = update(s, List.of());
        }
        counts[i] = count;
      } catch (SQLException e) {
        throw batchFailed(Arrays.copyOf(counts, i), i, e);
      }
    }
    return counts;
  }

  static BatchUpdateException batchFailed(long[] done, int index, SQLException e) {
    BatchUpdateException b =
        new BatchUpdateException(
            "batch entry " + index + " failed: " + e.getMessage(),
            e.getSQLState(),
            e.getErrorCode(),
            done,
            e);
    b.setNextException(e);
    return b;
  }

  // ---- settings ----

  @Override
  public int getQueryTimeout() throws SQLException {
    checkOpen();
    return queryTimeoutSeconds;
  }

  /**
   * Bounds each request of the statements run here; when it passes, the connection is dropped (the
   * node cannot interrupt a running write) and an SQLTimeoutException raised.
   */
  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    checkOpen();
    if (seconds < 0) {
      throw new SQLException("query timeout must be >= 0", DqliteSqlState.DATA_EXCEPTION.state());
    }
    queryTimeoutSeconds = seconds;
  }

  /** Aborts the statement in flight by closing the connection to the leader (see docs). */
  @Override
  public void cancel() throws SQLException {
    checkOpen();
    session.cancel();
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    checkOpen();
    return 0;
  }

  @Override
  public void setMaxFieldSize(int max) throws SQLException {
    checkOpen();
  }

  @Override
  public int getMaxRows() throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, getLargeMaxRows());
  }

  @Override
  public void setMaxRows(int max) throws SQLException {
    setLargeMaxRows(max);
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    checkOpen();
    return maxRows;
  }

  @Override
  public void setLargeMaxRows(long max) throws SQLException {
    checkOpen();
    if (max < 0) {
      throw new SQLException("max rows must be >= 0", DqliteSqlState.DATA_EXCEPTION.state());
    }
    maxRows = max;
  }

  @Override
  public void setEscapeProcessing(boolean enable) throws SQLException {
    checkOpen();
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return null;
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
  }

  @Override
  public void setCursorName(String name) throws SQLException {
    throw SqlErrors.unsupported("named cursors");
  }

  @Override
  public void setFetchDirection(int direction) throws SQLException {
    checkOpen();
    if (direction != ResultSet.FETCH_FORWARD) {
      throw AbstractReadOnlyResultSet.forwardOnly();
    }
  }

  @Override
  public int getFetchDirection() throws SQLException {
    checkOpen();
    return ResultSet.FETCH_FORWARD;
  }

  @Override
  public void setFetchSize(int rows) throws SQLException {
    checkOpen();
    fetchSize = rows;
  }

  @Override
  public int getFetchSize() throws SQLException {
    checkOpen();
    return fetchSize;
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public int getResultSetType() throws SQLException {
    return ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return ResultSet.CLOSE_CURSORS_AT_COMMIT;
  }

  @Override
  public Connection getConnection() throws SQLException {
    checkOpen();
    return connection;
  }

  @Override
  public void setPoolable(boolean poolable) throws SQLException {
    checkOpen();
  }

  @Override
  public boolean isPoolable() throws SQLException {
    checkOpen();
    return this instanceof DqlitePreparedStatement;
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    checkOpen();
    closeOnCompletion = true;
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    checkOpen();
    return closeOnCompletion;
  }

  private void resultClosed() {
    if (closeOnCompletion && pendingResults.isEmpty()) {
      try {
        close();
      } catch (SQLException e) {
        // close() of a statement only fails on its result sets, which are closed already.
      }
    }
  }

  // ---- lifecycle ----

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      closeResults();
    } finally {
      released();
      connection.forget(this);
    }
  }

  /** Frees what the statement holds on the server; prepared statements finalize here. */
  void released() {}

  /**
   * A closed connection is 08003; a statement closed on an open connection is 55000, not 08003,
   * which pools take for a dead connection and evict.
   */
  void checkOpen() throws SQLException {
    connection.checkOpen();
    if (closed) {
      throw new SQLException(
          "statement is closed (its connection is open: create a new statement)",
          DqliteSqlState.OBJECT_NOT_IN_PREREQUISITE_STATE.state());
    }
  }
}
