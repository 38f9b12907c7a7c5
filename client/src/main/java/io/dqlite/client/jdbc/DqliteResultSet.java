package io.dqlite.client.jdbc;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.Calendar;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.sql.rowset.serial.SerialBlob;
import javax.sql.rowset.serial.SerialClob;

/**
 * A forward-only, read-only result set over a {@link RowCursor}. Getters convert as {@link
 * Conversions} describes; {@link #getObject(int)} returns {@code Long}, {@code Double}, {@code
 * String}, {@code byte[]}, {@code Boolean} (columns declared BOOLEAN), a {@code Timestamp} (columns
 * declared DATETIME, DATE or TIMESTAMP) or null.
 */
final class DqliteResultSet extends AbstractReadOnlyResultSet implements SelfWrapper {

  private final Statement statement;
  private final RowCursor cursor;
  private final Runnable onClose;
  private Map<String, Integer> labels;
  private boolean onRow;
  private boolean afterLast;
  private int rowNumber;
  private boolean wasNull;
  private boolean closed;
  private int fetchSize;
  private long maxRows;

  /**
   * @param statement the statement that produced the rows, or null for metadata results
   * @param onClose run once when the result set closes (the statement's closeOnCompletion)
   */
  DqliteResultSet(Statement statement, RowCursor cursor, Runnable onClose) {
    this.statement = statement;
    this.cursor = cursor;
    this.onClose = onClose;
  }

  /** Statement.setMaxRows: rows past the limit are silently dropped; 0 means no limit. */
  void setMaxRows(long maxRows) {
    this.maxRows = maxRows;
  }

  @Override
  public boolean next() throws SQLException {
    checkOpen();
    if (afterLast) {
      return false;
    }
    if (maxRows > 0 && rowNumber >= maxRows) {
      onRow = false;
      afterLast = true;
      return false;
    }
    onRow = cursor.next();
    if (onRow) {
      rowNumber++;
    } else {
      afterLast = true;
    }
    return onRow;
  }

  /** The raw value of a 1-based column, recording wasNull. */
  private Object value(int columnIndex) throws SQLException {
    checkOpen();
    if (!onRow) {
      throw new SQLException(
          afterLast ? "the result set is past its last row" : "call next() before reading a row",
          DqliteSqlState.INVALID_CURSOR_STATE.state());
    }
    checkColumn(columnIndex);
    Object v = cursor.value(columnIndex - 1);
    wasNull = v == null;
    return v;
  }

  private void checkColumn(int columnIndex) throws SQLException {
    int n = cursor.columns().size();
    if (columnIndex < 1 || columnIndex > n) {
      throw new SQLException(
          "column index " + columnIndex + " is out of range: the result has " + n + " column(s)",
          DqliteSqlState.INVALID_DESCRIPTOR_INDEX.state());
    }
  }

  @Override
  public int findColumn(String columnLabel) throws SQLException {
    checkOpen();
    if (labels == null) {
      labels = new HashMap<>();
      for (int i = cursor.columns().size() - 1; i >= 0; i--) {
        labels.put(cursor.columns().get(i).toLowerCase(Locale.ROOT), i + 1);
      }
    }
    Integer index = columnLabel == null ? null : labels.get(columnLabel.toLowerCase(Locale.ROOT));
    if (index == null) {
      throw new SQLException(
          "no column labelled '" + columnLabel + "'; the columns are " + cursor.columns(),
          DqliteSqlState.INVALID_DESCRIPTOR_INDEX.state());
    }
    return index;
  }

  @Override
  public boolean wasNull() throws SQLException {
    checkOpen();
    return wasNull;
  }

  @Override
  public String getString(int columnIndex) throws SQLException {
    return Conversions.toText(value(columnIndex));
  }

  @Override
  public boolean getBoolean(int columnIndex) throws SQLException {
    return Conversions.toBoolean(value(columnIndex));
  }

  @Override
  public byte getByte(int columnIndex) throws SQLException {
    return Conversions.toByte(value(columnIndex));
  }

  @Override
  public short getShort(int columnIndex) throws SQLException {
    return Conversions.toShort(value(columnIndex));
  }

  @Override
  public int getInt(int columnIndex) throws SQLException {
    return Conversions.toInt(value(columnIndex));
  }

  @Override
  public long getLong(int columnIndex) throws SQLException {
    return Conversions.toLong(value(columnIndex));
  }

  @Override
  public float getFloat(int columnIndex) throws SQLException {
    return (float) Conversions.toDouble(value(columnIndex));
  }

  @Override
  public double getDouble(int columnIndex) throws SQLException {
    return Conversions.toDouble(value(columnIndex));
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
    BigDecimal d = getBigDecimal(columnIndex);
    return d == null ? null : d.setScale(scale, RoundingMode.HALF_UP);
  }

  @Override
  public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
    return Conversions.toBigDecimal(value(columnIndex));
  }

  @Override
  public byte[] getBytes(int columnIndex) throws SQLException {
    return Conversions.toBytes(value(columnIndex));
  }

  @Override
  public Date getDate(int columnIndex) throws SQLException {
    return Conversions.toDate(value(columnIndex), null);
  }

  @Override
  public Time getTime(int columnIndex) throws SQLException {
    return Conversions.toTime(value(columnIndex), null);
  }

  @Override
  public Timestamp getTimestamp(int columnIndex) throws SQLException {
    return Conversions.toTimestamp(value(columnIndex), null);
  }

  @Override
  public Date getDate(int columnIndex, Calendar cal) throws SQLException {
    return Conversions.toDate(value(columnIndex), cal);
  }

  @Override
  public Time getTime(int columnIndex, Calendar cal) throws SQLException {
    return Conversions.toTime(value(columnIndex), cal);
  }

  @Override
  public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
    return Conversions.toTimestamp(value(columnIndex), cal);
  }

  @Override
  public InputStream getAsciiStream(int columnIndex) throws SQLException {
    String s = getString(columnIndex);
    return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  @Deprecated
  public InputStream getUnicodeStream(int columnIndex) throws SQLException {
    String s = getString(columnIndex);
    return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_16BE));
  }

  @Override
  public InputStream getBinaryStream(int columnIndex) throws SQLException {
    byte[] b = getBytes(columnIndex);
    return b == null ? null : new ByteArrayInputStream(b);
  }

  @Override
  public Reader getCharacterStream(int columnIndex) throws SQLException {
    String s = getString(columnIndex);
    return s == null ? null : new StringReader(s);
  }

  @Override
  public Reader getNCharacterStream(int columnIndex) throws SQLException {
    return getCharacterStream(columnIndex);
  }

  @Override
  public String getNString(int columnIndex) throws SQLException {
    return getString(columnIndex);
  }

  @Override
  public Blob getBlob(int columnIndex) throws SQLException {
    byte[] b = getBytes(columnIndex);
    return b == null ? null : new SerialBlob(b);
  }

  @Override
  public Clob getClob(int columnIndex) throws SQLException {
    String s = getString(columnIndex);
    return s == null ? null : new SerialClob(s.toCharArray());
  }

  @Override
  public URL getURL(int columnIndex) throws SQLException {
    String s = getString(columnIndex);
    try {
      return s == null ? null : new URL(s);
    } catch (MalformedURLException e) {
      throw new SQLException(
          "'" + s + "' is not a URL", DqliteSqlState.INVALID_CHARACTER_VALUE_FOR_CAST.state(), e);
    }
  }

  @Override
  public Object getObject(int columnIndex) throws SQLException {
    Object v = value(columnIndex);
    if (v instanceof OffsetDateTime o) {
      return Conversions.toTimestamp(o, null);
    }
    if (v instanceof byte[] b) {
      return b.clone();
    }
    return v;
  }

  @Override
  public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
    return Conversions.to(value(columnIndex), type);
  }

  @Override
  public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
    return getObject(columnIndex);
  }

  // ---- by label ----

  @Override
  public String getString(String columnLabel) throws SQLException {
    return getString(findColumn(columnLabel));
  }

  @Override
  public boolean getBoolean(String columnLabel) throws SQLException {
    return getBoolean(findColumn(columnLabel));
  }

  @Override
  public byte getByte(String columnLabel) throws SQLException {
    return getByte(findColumn(columnLabel));
  }

  @Override
  public short getShort(String columnLabel) throws SQLException {
    return getShort(findColumn(columnLabel));
  }

  @Override
  public int getInt(String columnLabel) throws SQLException {
    return getInt(findColumn(columnLabel));
  }

  @Override
  public long getLong(String columnLabel) throws SQLException {
    return getLong(findColumn(columnLabel));
  }

  @Override
  public float getFloat(String columnLabel) throws SQLException {
    return getFloat(findColumn(columnLabel));
  }

  @Override
  public double getDouble(String columnLabel) throws SQLException {
    return getDouble(findColumn(columnLabel));
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(String columnLabel, int scale) throws SQLException {
    return getBigDecimal(findColumn(columnLabel), scale);
  }

  @Override
  public BigDecimal getBigDecimal(String columnLabel) throws SQLException {
    return getBigDecimal(findColumn(columnLabel));
  }

  @Override
  public byte[] getBytes(String columnLabel) throws SQLException {
    return getBytes(findColumn(columnLabel));
  }

  @Override
  public Date getDate(String columnLabel) throws SQLException {
    return getDate(findColumn(columnLabel));
  }

  @Override
  public Time getTime(String columnLabel) throws SQLException {
    return getTime(findColumn(columnLabel));
  }

  @Override
  public Timestamp getTimestamp(String columnLabel) throws SQLException {
    return getTimestamp(findColumn(columnLabel));
  }

  @Override
  public Date getDate(String columnLabel, Calendar cal) throws SQLException {
    return getDate(findColumn(columnLabel), cal);
  }

  @Override
  public Time getTime(String columnLabel, Calendar cal) throws SQLException {
    return getTime(findColumn(columnLabel), cal);
  }

  @Override
  public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
    return getTimestamp(findColumn(columnLabel), cal);
  }

  @Override
  public InputStream getAsciiStream(String columnLabel) throws SQLException {
    return getAsciiStream(findColumn(columnLabel));
  }

  @Override
  @Deprecated
  public InputStream getUnicodeStream(String columnLabel) throws SQLException {
    return getUnicodeStream(findColumn(columnLabel));
  }

  @Override
  public InputStream getBinaryStream(String columnLabel) throws SQLException {
    return getBinaryStream(findColumn(columnLabel));
  }

  @Override
  public Reader getCharacterStream(String columnLabel) throws SQLException {
    return getCharacterStream(findColumn(columnLabel));
  }

  @Override
  public Reader getNCharacterStream(String columnLabel) throws SQLException {
    return getNCharacterStream(findColumn(columnLabel));
  }

  @Override
  public String getNString(String columnLabel) throws SQLException {
    return getNString(findColumn(columnLabel));
  }

  @Override
  public Blob getBlob(String columnLabel) throws SQLException {
    return getBlob(findColumn(columnLabel));
  }

  @Override
  public Clob getClob(String columnLabel) throws SQLException {
    return getClob(findColumn(columnLabel));
  }

  @Override
  public URL getURL(String columnLabel) throws SQLException {
    return getURL(findColumn(columnLabel));
  }

  @Override
  public Object getObject(String columnLabel) throws SQLException {
    return getObject(findColumn(columnLabel));
  }

  @Override
  public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
    return getObject(findColumn(columnLabel), type);
  }

  @Override
  public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
    return getObject(findColumn(columnLabel));
  }

  // ---- state ----

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    checkOpen();
    return new DqliteResultSetMetaData(cursor);
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    checkOpen();
    if (cursor instanceof ListCursor list) {
      return list.beforeFirst();
    }
    return rowNumber == 0 && !afterLast;
  }

  @Override
  public boolean isAfterLast() throws SQLException {
    checkOpen();
    return afterLast && rowNumber > 0;
  }

  @Override
  public boolean isFirst() throws SQLException {
    checkOpen();
    return onRow && rowNumber == 1;
  }

  @Override
  public int getRow() throws SQLException {
    checkOpen();
    return onRow ? rowNumber : 0;
  }

  @Override
  public void setFetchSize(int rows) throws SQLException {
    checkOpen();
    if (rows < 0) {
      throw new SQLException("fetch size must be >= 0", DqliteSqlState.DATA_EXCEPTION.state());
    }
    fetchSize = rows; // a hint only: the node decides its batch size (about a page)
  }

  @Override
  public int getFetchSize() throws SQLException {
    checkOpen();
    return fetchSize;
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
  public Statement getStatement() throws SQLException {
    checkOpen();
    return statement;
  }

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
    onRow = false;
    try {
      cursor.close();
    } finally {
      if (onClose != null) {
        onClose.run();
      }
    }
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw new SQLException(
          "the result set is closed", DqliteSqlState.INVALID_CURSOR_STATE.state());
    }
  }
}
