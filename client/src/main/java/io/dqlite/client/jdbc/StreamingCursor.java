package io.dqlite.client.jdbc;

import io.dqlite.client.model.DqliteException;
import io.dqlite.client.protocol.Row;
import io.dqlite.client.protocol.Rows;
import io.dqlite.client.protocol.ValueType;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Rows streamed from the leader, batch by batch, as the application reads them. The connection can
 * carry one request at a time, so when the application sends another statement before reading to
 * the end, the {@link Session} calls {@link #buffer()} and the remaining rows move into memory:
 * nested loops over several open result sets work, at the price of memory.
 */
final class StreamingCursor implements RowCursor {

  private final Session session;
  private final SqlScript.Statement statement;
  private final Rows rows;
  private final List<String> columns;
  private final List<ValueType> firstTypes;
  private ArrayDeque<Row> buffered;
  private SQLException pendingFailure;
  private Row current;
  private boolean done;
  private boolean closed;

  StreamingCursor(Session session, SqlScript.Statement statement, Rows rows) {
    this.session = session;
    this.statement = statement;
    this.rows = rows;
    this.columns = List.copyOf(rows.columnNames());
    this.firstTypes = List.copyOf(rows.columnTypes());
    session.streaming(this);
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public boolean next() throws SQLException {
    if (closed || done) {
      current = null;
      return false;
    }
    if (buffered != null) {
      current = buffered.poll();
      if (current == null) {
        done = true;
        if (pendingFailure != null) {
          SQLException e = pendingFailure;
          pendingFailure = null;
          throw e;
        }
      }
      return current != null;
    }
    try {
      if (rows.next()) {
        current = rows.row();
        return true;
      }
      current = null;
      done = true;
      session.released(this);
      return false;
    } catch (DqliteException e) {
      current = null;
      done = true;
      session.released(this);
      throw session.rowsFailed(statement, e);
    }
  }

  /**
   * Reads the remaining rows into memory so the connection is free for another request.
   *
   * @return the failure met while reading, which {@link #next()} will also report after the rows
   *     read before it, or null
   */
  SQLException buffer() {
    if (buffered != null || done || closed) {
      return null;
    }
    buffered = new ArrayDeque<>();
    try {
      while (rows.next()) {
        buffered.add(rows.row());
      }
    } catch (DqliteException e) {
      pendingFailure = session.rowsFailed(statement, e);
      return pendingFailure;
    }
    return null;
  }

  @Override
  public Object value(int i) {
    return current.javaValue(i);
  }

  @Override
  public int sqlType(int i) {
    ValueType t = firstTypes.get(i);
    if (t == ValueType.NULL && current != null) {
      t = current.types().get(i);
    }
    return t == ValueType.NULL ? Types.NULL : TypeNames.sqlTypeOf(t);
  }

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    current = null;
    buffered = null;
    session.released(this);
    if (done) {
      return;
    }
    try {
      rows.close();
    } catch (DqliteException e) {
      throw session.rowsFailed(statement, e);
    }
  }
}
