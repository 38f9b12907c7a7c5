package io.dqlite.client.jdbc;

import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.ErrorCodes;
import io.dqlite.client.protocol.ExecOutcome;
import io.dqlite.client.protocol.ExecResult;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.Rows;
import io.dqlite.client.protocol.StatementInfo;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

/**
 * A statement prepared on the leader. The node keeps prepared statements per connection, so after a
 * reconnect to a new leader the statement is prepared again, transparently, before it runs.
 * Parameters are converted as {@link Parameters} describes.
 */
final class DqlitePreparedStatement extends DqliteStatement implements PreparedStatement {

  private final SqlScript.Statement statement;
  private final String rowidLabel;
  private Session.Prepared prepared;

  private final Parameters parameters;
  private final List<Object[]> batch = new ArrayList<>();

  DqlitePreparedStatement(DqliteConnection connection, Session session, String sql)
      throws SQLException {
    super(connection, session);
    List<SqlScript.Statement> statements = script(sql);
    if (statements.size() != 1) {
      throw new SQLException(
          "a prepared statement holds one SQL statement, got "
              + statements.size()
              + " (dqlite would silently skip the rest); use Statement.execute for scripts",
          DqliteSqlState.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION.state());
    }
    statement = statements.get(0);
    rowidLabel = statement.lastInsertRowidLabel();
    rejectReturning(statement);
    prepared = session.prepare(statement);
    parameters = new Parameters(parameterCount(prepared.info().paramCount(), statement.sql()));
  }

  /**
   * SQLite's default SQLITE_MAX_VARIABLE_NUMBER: no statement a node prepares has more parameters
   * (and libdqlite 1.11 binds at most 255 anyway).
   */
  static final int MAX_PARAMETERS = 32766;

  /**
   * The parameter count the node reported, checked before an array is sized by it: a count beyond
   * what SQLite allows is a broken answer, not a reason to allocate gigabytes.
   */
  static int parameterCount(long reported, String sql) throws SQLException {
    if (reported < 0 || reported > MAX_PARAMETERS) {
      throw new SQLException(
          "the node reports "
              + Long.toUnsignedString(reported)
              + " parameters for this statement, more than SQLite allows ("
              + MAX_PARAMETERS
              + "); the node's answer is broken. Statement: "
              + SqlErrors.abbreviate(sql),
          DqliteSqlState.PROGRAM_LIMIT_EXCEEDED.state());
    }
    return (int) reported;
  }

  /** The statement id on {@code conn}, preparing again if the connection changed. */
  private StatementInfo info(ProtocolConnection conn, int db, long generation)
      throws DqliteException {
    if (prepared.generation() != generation) {
      prepared = Session.prepare(conn, db, generation, statement);
    }
    return prepared.info();
  }

  @Override
  Rows sendQuery(SqlScript.Statement s, List<Object> params) throws SQLException {
    return session.execute(
        s,
        timeout(),
        (c, db, g) -> c.query(db, info(c, db, g).id(), params),
        (begin, begun) ->
            (c, db, g) -> c.queryAfterExecSql(db, begin, begun, info(c, db, g).id(), params));
  }

  @Override
  ExecResult sendExec(SqlScript.Statement s, List<Object> params) throws SQLException {
    return session.execute(
        s,
        timeout(),
        (c, db, g) -> {
          try {
            return c.exec(db, info(c, db, g).id(), params);
          } catch (DqliteException e) {
            return acceptRowFromPragma(s, e);
          }
        });
  }

  @Override
  String lastInsertRowidLabel(SqlScript.Statement s) {
    return s == statement ? rowidLabel : s.lastInsertRowidLabel();
  }

  @Override
  boolean sendsPrepared() {
    return true;
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    if (statement.kind() != SqlScript.Kind.QUERY) {
      throw new SQLException(
          "executeQuery needs a statement that returns rows; use executeUpdate for: "
              + SqlErrors.abbreviate(statement.sql()),
          DqliteSqlState.GENERAL_ERROR.state());
    }
    List<Object> params = parameters.toList();
    startExecution();
    runOne(statement, params);
    return getResultSet();
  }

  @Override
  public int executeUpdate() throws SQLException {
    return (int) Math.min(Integer.MAX_VALUE, executeLargeUpdate()); // as getUpdateCount
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    if (statement.kind() == SqlScript.Kind.QUERY) {
      throw new SQLException(
          "executeUpdate cannot run a statement that returns rows; use executeQuery for: "
              + SqlErrors.abbreviate(statement.sql()),
          DqliteSqlState.GENERAL_ERROR.state());
    }
    List<Object> params = parameters.toList();
    startExecution();
    runOne(statement, params);
    return getLargeUpdateCount();
  }

  @Override
  public boolean execute() throws SQLException {
    List<Object> params = parameters.toList();
    startExecution();
    return runOne(statement, params);
  }

  @Override
  public void addBatch() throws SQLException {
    checkOpen();
    parameters.toList(); // every parameter must be set
    batch.add(parameters.snapshot());
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen();
    batch.clear();
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    if (statement.kind() == SqlScript.Kind.QUERY) {
      throw new SQLException(
          "a batch cannot run a statement that returns rows: "
              + SqlErrors.abbreviate(statement.sql()),
          DqliteSqlState.GENERAL_ERROR.state());
    }
    startExecution();
    List<Object[]> entries = new ArrayList<>(batch);
    batch.clear();
    if (entries.size() > 1 && !session.autoCommit() && statement.dml() && !statement.returning()) {
      return pipelined(entries);
    }
    long[] counts = new long[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      try {
        counts[i] = update(statement, Arrays.asList(entries.get(i)));
      } catch (SQLException e) {
        throw batchFailed(Arrays.copyOf(counts, i), i, e);
      }
    }
    return counts;
  }

  /**
   * A batch inside a transaction: every write is sent before the answers are read (see {@link
   * io.dqlite.client.protocol.ProtocolConnection#execEach}), so it costs one round trip instead of
   * one per entry. The node runs every entry, so a failed one does not stop the rest: the
   * exception's counts have an entry for each, {@link java.sql.Statement#EXECUTE_FAILED} for those
   * that failed, as JDBC describes for a driver that goes on after a failure. Outside a transaction
   * each entry is its own transaction and the batch stops at the first failure, so it runs one
   * write at a time.
   */
  private long[] pipelined(List<Object[]> entries) throws SQLException {
    List<List<Object>> params = new ArrayList<>(entries.size());
    for (Object[] entry : entries) {
      params.add(Arrays.asList(entry));
    }
    List<ExecOutcome> outcomes;
    try {
      outcomes =
          session.execute(
              statement,
              timeout(),
              (c, db, g) -> {
                List<ExecOutcome> all = c.execEach(db, info(c, db, g).id(), params);
                for (ExecOutcome o : all) {
                  if (o.failure() != null && leaderGone(o.failure())) {
                    // The session's failover rules apply, as to a single write that met it.
                    throw o.failure();
                  }
                }
                return all;
              });
    } catch (SQLException e) {
      throw batchFailed(new long[0], 0, e);
    }
    long[] counts = new long[outcomes.size()];
    SQLException first = null;
    int firstIndex = -1;
    for (int i = 0; i < counts.length; i++) {
      ExecOutcome o = outcomes.get(i);
      if (o.failure() == null) {
        counts[i] = counted(statement, o.result());
        continue;
      }
      counts[i] = EXECUTE_FAILED;
      if (first == null) {
        first = SqlErrors.from(o.failure(), statement.sql());
        firstIndex = i;
      }
    }
    if (first != null) {
      throw batchFailed(counts, firstIndex, first);
    }
    return counts;
  }

  private static boolean leaderGone(DqliteException e) {
    return ErrorCodes.isLeadershipLost(e.code())
        || SqlErrors.isLeaderChangeRefusal(e.code(), e.getMessage());
  }

  @Override
  public void clearParameters() throws SQLException {
    checkOpen();
    parameters.clear();
  }

  /** The node's id of this statement (tests: the statement cache hands ids out again). */
  int statementId() {
    return prepared.info().id();
  }

  @Override
  void released() {
    session.finalizeStatement(prepared);
  }

  /** Column metadata is known only once rows arrive; JDBC allows null here. */
  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    checkOpen();
    return null;
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    checkOpen();
    return new DqliteParameterMetaData(parameters.count());
  }

  // ---- setters ----

  private void set(int index, Object wire) throws SQLException {
    checkOpen();
    parameters.set(index, wire);
  }

  @Override
  public void setNull(int parameterIndex, int sqlType) throws SQLException {
    set(parameterIndex, null);
  }

  @Override
  public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
    set(parameterIndex, null);
  }

  @Override
  public void setBoolean(int parameterIndex, boolean x) throws SQLException {
    set(parameterIndex, x ? 1L : 0L);
  }

  @Override
  public void setByte(int parameterIndex, byte x) throws SQLException {
    set(parameterIndex, (long) x);
  }

  @Override
  public void setShort(int parameterIndex, short x) throws SQLException {
    set(parameterIndex, (long) x);
  }

  @Override
  public void setInt(int parameterIndex, int x) throws SQLException {
    set(parameterIndex, (long) x);
  }

  @Override
  public void setLong(int parameterIndex, long x) throws SQLException {
    set(parameterIndex, x);
  }

  @Override
  public void setFloat(int parameterIndex, float x) throws SQLException {
    set(parameterIndex, Parameters.toWire(x));
  }

  @Override
  public void setDouble(int parameterIndex, double x) throws SQLException {
    set(parameterIndex, x);
  }

  @Override
  public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
    set(parameterIndex, Parameters.toWire(x));
  }

  @Override
  public void setString(int parameterIndex, String x) throws SQLException {
    set(parameterIndex, x);
  }

  @Override
  public void setNString(int parameterIndex, String value) throws SQLException {
    set(parameterIndex, value);
  }

  @Override
  public void setBytes(int parameterIndex, byte[] x) throws SQLException {
    set(parameterIndex, Parameters.toWire(x));
  }

  @Override
  public void setDate(int parameterIndex, Date x) throws SQLException {
    set(parameterIndex, Parameters.toWire(x));
  }

  @Override
  public void setTime(int parameterIndex, Time x) throws SQLException {
    set(parameterIndex, Parameters.toWire(x));
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
    set(parameterIndex, Parameters.toWire(x));
  }

  @Override
  public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
    set(parameterIndex, Parameters.date(x, cal));
  }

  @Override
  public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
    set(parameterIndex, Parameters.time(x, cal));
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
    set(parameterIndex, Parameters.timestamp(x, cal));
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
    setAsciiStream(parameterIndex, x, (long) length);
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
    byte[] b = Parameters.readBytes(x, length);
    set(
        parameterIndex,
        b == null ? null : new String(b, java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Override
  public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
    setAsciiStream(parameterIndex, x, -1L);
  }

  @Override
  @Deprecated
  public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
    byte[] b = Parameters.readBytes(x, length);
    set(
        parameterIndex,
        b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_16BE));
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
    set(parameterIndex, Parameters.readBytes(x, length));
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
    set(parameterIndex, Parameters.readBytes(x, length));
  }

  @Override
  public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
    set(parameterIndex, Parameters.readBytes(x, -1));
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, int length)
      throws SQLException {
    set(parameterIndex, Parameters.readText(reader, length));
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader, long length)
      throws SQLException {
    set(parameterIndex, Parameters.readText(reader, length));
  }

  @Override
  public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
    set(parameterIndex, Parameters.readText(reader, -1));
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader value, long length)
      throws SQLException {
    set(parameterIndex, Parameters.readText(value, length));
  }

  @Override
  public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
    set(parameterIndex, Parameters.readText(value, -1));
  }

  @Override
  public void setBlob(int parameterIndex, Blob x) throws SQLException {
    set(parameterIndex, Parameters.toWire(x));
  }

  @Override
  public void setBlob(int parameterIndex, InputStream inputStream, long length)
      throws SQLException {
    set(parameterIndex, Parameters.readBytes(inputStream, length));
  }

  @Override
  public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
    set(parameterIndex, Parameters.readBytes(inputStream, -1));
  }

  @Override
  public void setClob(int parameterIndex, Clob x) throws SQLException {
    set(parameterIndex, Parameters.toWire(x));
  }

  @Override
  public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
    set(parameterIndex, Parameters.readText(reader, length));
  }

  @Override
  public void setClob(int parameterIndex, Reader reader) throws SQLException {
    set(parameterIndex, Parameters.readText(reader, -1));
  }

  @Override
  public void setNClob(int parameterIndex, NClob value) throws SQLException {
    set(parameterIndex, Parameters.toWire(value));
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
    set(parameterIndex, Parameters.readText(reader, length));
  }

  @Override
  public void setNClob(int parameterIndex, Reader reader) throws SQLException {
    set(parameterIndex, Parameters.readText(reader, -1));
  }

  @Override
  public void setURL(int parameterIndex, URL x) throws SQLException {
    set(parameterIndex, x == null ? null : x.toString());
  }

  @Override
  public void setObject(int parameterIndex, Object x) throws SQLException {
    set(parameterIndex, Parameters.toWire(x));
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
    set(parameterIndex, asType(x, targetSqlType));
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength)
      throws SQLException {
    setObject(parameterIndex, x, targetSqlType);
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
    Integer code = targetSqlType == null ? null : targetSqlType.getVendorTypeNumber();
    set(parameterIndex, code == null ? Parameters.toWire(x) : asType(x, code));
  }

  @Override
  public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength)
      throws SQLException {
    setObject(parameterIndex, x, targetSqlType);
  }

  /** setObject with a target type: converts the value to what that type stores as. */
  private static Object asType(Object x, int sqlType) throws SQLException {
    if (x == null) {
      return null;
    }
    return switch (sqlType) {
      case Types.BIT, Types.BOOLEAN -> Conversions.toBoolean(Parameters.toWire(x)) ? 1L : 0L;
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT ->
          Conversions.toLong(Parameters.toWire(x));
      case Types.REAL, Types.FLOAT, Types.DOUBLE -> Conversions.toDouble(Parameters.toWire(x));
      case Types.NUMERIC, Types.DECIMAL ->
          Conversions.toBigDecimal(Parameters.toWire(x)).toPlainString();
      case Types.CHAR,
          Types.VARCHAR,
          Types.LONGVARCHAR,
          Types.NCHAR,
          Types.NVARCHAR,
          Types.LONGNVARCHAR,
          Types.CLOB,
          Types.NCLOB ->
          Conversions.toText(Parameters.toWire(x));
      default -> Parameters.toWire(x);
    };
  }

  @Override
  public void setRef(int parameterIndex, Ref x) throws SQLException {
    throw SqlErrors.unsupported("REF parameters");
  }

  @Override
  public void setArray(int parameterIndex, Array x) throws SQLException {
    throw SqlErrors.unsupported("ARRAY parameters");
  }

  @Override
  public void setRowId(int parameterIndex, RowId x) throws SQLException {
    throw SqlErrors.unsupported("RowId parameters (bind the rowid as a long)");
  }

  @Override
  public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
    throw SqlErrors.unsupported("SQLXML parameters");
  }

  // ---- the Statement methods that take SQL text do not apply to a prepared statement ----

  private static SQLException textNotAllowed() {
    return new SQLException(
        "a PreparedStatement runs its own SQL: call execute(), executeQuery() or executeUpdate()"
            + " without arguments",
        DqliteSqlState.GENERAL_ERROR.state());
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    throw textNotAllowed();
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    throw textNotAllowed();
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    throw textNotAllowed();
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    throw textNotAllowed();
  }
}
