package io.dqlite.client.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.UUID;

/**
 * The bound parameters of a prepared statement, held as the values the wire carries: {@code Long},
 * {@code Double}, {@code String}, {@code byte[]} or null.
 *
 * <p>How Java values are stored: integers and booleans as INTEGER (booleans 1/0), floats as REAL,
 * {@code BigDecimal} as its exact decimal text (SQLite's column affinity may still turn it into a
 * REAL), dates and times as text in go-dqlite's format ({@link DateTimeText}): a {@code Timestamp}
 * or {@code Instant} in UTC with {@code +00:00}, a {@code LocalDateTime} without offset, a {@code
 * Date} as {@code yyyy-MM-dd}, a {@code Time} as {@code HH:mm:ss[.fff]}. UUIDs as text, streams
 * read into BLOB or TEXT.
 */
final class Parameters {

  private static final Object UNSET = new Object();

  private Object[] values;

  Parameters(int count) {
    values = new Object[count];
    Arrays.fill(values, UNSET);
  }

  int count() {
    return values.length;
  }

  /** Sets parameter {@code index} (1-based) to an already converted wire value. */
  void set(int index, Object wireValue) throws SQLException {
    if (index < 1 || index > values.length) {
      throw new SQLException(
          "parameter index "
              + index
              + " is out of range: the statement has "
              + values.length
              + " parameter(s)",
          DqliteSqlState.INVALID_DESCRIPTOR_INDEX.state());
    }
    values[index - 1] = wireValue;
  }

  void clear() {
    Arrays.fill(values, UNSET);
  }

  /** The values in order, for the wire; every parameter must have been set. */
  List<Object> toList() throws SQLException {
    List<Object> list = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == UNSET) {
        throw new SQLException(
            "no value specified for parameter " + (i + 1) + " (set it, or use setNull)",
            DqliteSqlState.DATA_EXCEPTION.state());
      }
      list.add(values[i]);
    }
    return list;
  }

  /** A copy of the current values, for addBatch. */
  Object[] snapshot() {
    return values.clone();
  }

  void restore(Object[] snapshot) {
    values = snapshot.clone();
  }

  /** Converts any supported Java value to its wire value. */
  static Object toWire(Object x) throws SQLException {
    if (x == null) {
      return null;
    }
    if (x instanceof String || x instanceof Long || x instanceof Double) {
      return x;
    }
    if (x instanceof Integer || x instanceof Short || x instanceof Byte) {
      return ((Number) x).longValue();
    }
    if (x instanceof Float f) {
      return Double.valueOf(f.toString());
    }
    if (x instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (x instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (x instanceof BigInteger b) {
      return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
    }
    if (x instanceof byte[] b) {
      return b.clone();
    }
    if (x instanceof Character c) {
      return c.toString();
    }
    if (x instanceof Timestamp t) {
      return DateTimeText.format(t.toInstant());
    }
    if (x instanceof Date d) {
      return DateTimeText.format(d.toLocalDate());
    }
    if (x instanceof Time t) {
      return DateTimeText.format(
          t.toLocalTime().withNano((int) Math.floorMod(t.getTime(), 1000L) * 1_000_000));
    }
    if (x instanceof java.util.Date d) {
      return DateTimeText.format(d.toInstant());
    }
    if (x instanceof Instant i) {
      return DateTimeText.format(i);
    }
    if (x instanceof OffsetDateTime o) {
      return DateTimeText.format(o);
    }
    if (x instanceof ZonedDateTime z) {
      return DateTimeText.format(z.toOffsetDateTime());
    }
    if (x instanceof LocalDateTime l) {
      return DateTimeText.format(l);
    }
    if (x instanceof LocalDate l) {
      return DateTimeText.format(l);
    }
    if (x instanceof LocalTime l) {
      return DateTimeText.format(l);
    }
    if (x instanceof OffsetTime o) {
      return o.toString();
    }
    if (x instanceof UUID u) {
      return u.toString();
    }
    if (x instanceof ByteBuffer b) {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      return bytes;
    }
    if (x instanceof Blob b) {
      return b.getBytes(1, Math.toIntExact(b.length()));
    }
    if (x instanceof Clob c) {
      return c.getSubString(1, Math.toIntExact(c.length()));
    }
    if (x instanceof InputStream in) {
      return readBytes(in, -1);
    }
    if (x instanceof Reader r) {
      return readText(r, -1);
    }
    if (x instanceof Enum<?> e) {
      return e.name();
    }
    throw new SQLFeatureNotSupportedException(
        "cannot bind a "
            + x.getClass().getName()
            + ": use a number, String, byte[], boolean, BigDecimal, a java.sql or java.time"
            + " date/time, UUID, stream, Blob or Clob",
        DqliteSqlState.FEATURE_NOT_SUPPORTED.state());
  }

  /** {@code setTimestamp(i, t, cal)}: the instant, written with the calendar's offset. */
  static Object timestamp(Timestamp t, Calendar cal) {
    if (t == null) {
      return null;
    }
    if (cal == null) {
      return DateTimeText.format(t.toInstant());
    }
    return DateTimeText.format(
        t.toInstant().atZone(cal.getTimeZone().toZoneId()).toOffsetDateTime());
  }

  /** {@code setDate(i, d, cal)}: the day the instant falls on in the calendar's zone. */
  static Object date(Date d, Calendar cal) {
    if (d == null) {
      return null;
    }
    if (cal == null) {
      return DateTimeText.format(d.toLocalDate());
    }
    return DateTimeText.format(
        Instant.ofEpochMilli(d.getTime()).atZone(cal.getTimeZone().toZoneId()).toLocalDate());
  }

  /** {@code setTime(i, t, cal)}: the time of day of the instant in the calendar's zone. */
  static Object time(Time t, Calendar cal) throws SQLException {
    if (t == null || cal == null) {
      return toWire(t);
    }
    return DateTimeText.format(
        Instant.ofEpochMilli(t.getTime()).atZone(cal.getTimeZone().toZoneId()).toLocalTime());
  }

  /** Reads up to {@code length} bytes ({@code -1}: all) of a stream for a BLOB parameter. */
  static byte[] readBytes(InputStream in, long length) throws SQLException {
    if (in == null) {
      return null;
    }
    try {
      if (length < 0) {
        return in.readAllBytes();
      }
      byte[] bytes = in.readNBytes(Math.toIntExact(length));
      if (bytes.length < length) {
        throw new SQLException(
            "the stream ended after " + bytes.length + " of the " + length + " bytes announced",
            DqliteSqlState.DATA_EXCEPTION.state());
      }
      return bytes;
    } catch (IOException e) {
      throw new SQLException("reading the parameter stream failed: " + e.getMessage(), "HY000", e);
    }
  }

  /** Reads up to {@code length} characters ({@code -1}: all) of a reader for a TEXT parameter. */
  static String readText(Reader reader, long length) throws SQLException {
    if (reader == null) {
      return null;
    }
    try {
      StringBuilder sb = new StringBuilder();
      char[] buf = new char[8192];
      long remaining = length < 0 ? Long.MAX_VALUE : length;
      while (remaining > 0) {
        int n = reader.read(buf, 0, (int) Math.min(buf.length, remaining));
        if (n < 0) {
          break;
        }
        sb.append(buf, 0, n);
        remaining -= n;
      }
      return sb.toString();
    } catch (IOException e) {
      throw new SQLException("reading the parameter reader failed: " + e.getMessage(), "HY000", e);
    }
  }
}
