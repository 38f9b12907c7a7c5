package io.dqlite.client.protocol;

import io.dqlite.client.model.DqliteException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A streaming result set: rows arrive in batches of about a memory page, fetched as {@link #next()}
 * needs them. Not thread-safe; it shares its connection's monitor.
 *
 * <p>Closing before the end interrupts the query and discards the batches the node still sends, as
 * go-dqlite does, so the connection stays usable. libdqlite 1.11.1 keeps stepping the query until
 * its end regardless, so closing a huge result set early still costs reading it.
 */
public final class Rows implements AutoCloseable {

  private final ProtocolConnection connection;
  private final int db;
  private final List<String> columns;
  private RowsResponse batch;
  private int index = -1;
  private Row current;
  private boolean finished;
  private boolean closed;
  private int batches = 1;

  /** The prepared statement these rows come from, or -1 for a one-shot QUERY_SQL. */
  private final int stmt;

  Rows(ProtocolConnection connection, int db, RowsResponse first, int stmt) {
    this.connection = connection;
    this.db = db;
    this.stmt = stmt;
    this.columns = first.columns();
    this.batch = first;
    this.finished = !first.more();
  }

  /** The column names, in order. */
  public List<String> columnNames() {
    return columns;
  }

  /** The number of columns. */
  public int columnCount() {
    return columns.size();
  }

  /**
   * Moves to the next row, fetching the next batch when needed.
   *
   * @return false at the end (or after close)
   * @throws DqliteException if the node fails the query midway (the result set then ends) or the
   *     connection breaks
   */
  public boolean next() throws DqliteException {
    synchronized (connection) {
      if (closed) {
        return false;
      }
      while (true) {
        if (index + 1 < batch.rows().size()) {
          current = batch.rows().get(++index);
          return true;
        }
        current = null;
        if (!batch.more()) {
          finished = true;
          connection.release(this);
          return false;
        }
        try {
          batch = connection.nextBatch(this);
          batches++;
        } catch (DqliteException e) {
          finished = true;
          closed = true;
          throw e;
        }
        index = -1;
      }
    }
  }

  /** How many ROWS messages this result set has taken so far (a diagnostic). */
  public int batchCount() {
    return batches;
  }

  /** The current row as it travelled (wire types and values). */
  public Row row() {
    return requireRow();
  }

  /** The Java value of column {@code i} (0-based) of the current row, as {@link Values} maps it. */
  public Object get(int i) {
    return requireRow().javaValue(i);
  }

  /** The wire type of column {@code i} (0-based) in the current row; types can vary by row. */
  public ValueType type(int i) {
    return requireRow().types().get(i);
  }

  /**
   * The wire types of the current row; before the first {@link #next()}, those of the first row
   * already received; NULL for every column when there is no such row.
   */
  public List<ValueType> columnTypes() {
    if (current != null) {
      return current.types();
    }
    if (index < 0 && !batch.rows().isEmpty()) {
      return batch.rows().get(0).types();
    }
    return Collections.nCopies(columns.size(), ValueType.NULL);
  }

  /** Reads all remaining rows into memory (Java values), then releases the connection. */
  public List<List<Object>> readAll() throws DqliteException {
    List<List<Object>> all = new ArrayList<>();
    while (next()) {
      List<Object> values = new ArrayList<>(columns.size());
      for (int i = 0; i < columns.size(); i++) {
        values.add(get(i));
      }
      all.add(Collections.unmodifiableList(values));
    }
    return all;
  }

  private Row requireRow() {
    if (current == null) {
      throw new IllegalStateException("no current row: call next() first and check it is true");
    }
    return current;
  }

  /**
   * Ends the result set; if the node is still sending batches, interrupts the query and drains
   * them. Idempotent.
   *
   * @throws DqliteException if the connection breaks while draining (it is then closed)
   */
  @Override
  public void close() throws DqliteException {
    synchronized (connection) {
      if (closed) {
        return;
      }
      closed = true;
      current = null;
      if (finished) {
        connection.release(this);
        return;
      }
      finished = true;
      connection.interruptRows(db, stmt);
    }
  }
}
