package io.dqlite.client.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.Locale;
import java.util.UUID;

/**
 * Reads a value of a row as the Java type a {@code ResultSet} getter asks for. Row values arrive as
 * {@code Long}, {@code Double}, {@code String}, {@code byte[]}, {@code Boolean} or null (and dates
 * as text or epoch seconds); SQLite is dynamically typed, so every getter converts what it can, the
 * way SQLite's own {@code sqlite3_column_*} functions do: text is parsed as a number, reals are
 * truncated to integers, integers become booleans by {@code != 0}.
 *
 * <p>Integers read as dates are seconds since the epoch (dqlite's UNIXTIME, SQLite's {@code
 * unixepoch()}).
 */
final class Conversions {

  private Conversions() {}

  static String toText(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    if (v instanceof Instant i) {
      return DateTimeText.format(i);
    }
    if (v instanceof OffsetDateTime o) {
      return DateTimeText.format(o);
    }
    if (v instanceof LocalDateTime l) {
      return DateTimeText.format(l);
    }
    return v.toString();
  }

  static boolean toBoolean(Object v) throws SQLException {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    String s = toText(v).strip().toLowerCase(Locale.ROOT);
    switch (s) {
      case "true", "t", "yes", "y", "on" -> {
        return true;
      }
      case "false", "f", "no", "n", "off", "" -> {
        return false;
      }
      default -> {
        return toDouble(s) != 0;
      }
    }
  }

  static long toLong(Object v) throws SQLException {
    if (v == null) {
      return 0;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
        throw outOfRange(v, "long");
      }
      return (long) d;
    }
    if (v instanceof byte[]) {
      throw cannotConvert(v, "long");
    }
    String s = toText(v).strip();
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return toLong(toDouble(s));
    }
  }

  static int toInt(Object v) throws SQLException {
    return (int) toLongWithin(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
  }

  static short toShort(Object v) throws SQLException {
    return (short) toLongWithin(v, Short.MIN_VALUE, Short.MAX_VALUE, "short");
  }

  static byte toByte(Object v) throws SQLException {
    return (byte) toLongWithin(v, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
  }

  /** {@link #toLong}, refused (22003) outside [min, max], the range of Java type {@code type}. */
  private static long toLongWithin(Object v, long min, long max, String type) throws SQLException {
    long l = toLong(v);
    if (l < min || l > max) {
      throw outOfRange(v, type);
    }
    return l;
  }

  static double toDouble(Object v) throws SQLException {
    if (v == null) {
      return 0;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof byte[]) {
      throw cannotConvert(v, "double");
    }
    try {
      return Double.parseDouble(toText(v).strip());
    } catch (NumberFormatException e) {
      throw cannotConvert(v, "number");
    }
  }

  static BigDecimal toBigDecimal(Object v) throws SQLException {
    if (v == null) {
      return null;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return BigDecimal.valueOf(((Number) v).longValue());
    }
    if (v instanceof BigDecimal b) {
      return b;
    }
    if (v instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw cannotConvert(v, "BigDecimal");
      }
      return BigDecimal.valueOf(d);
    }
    if (v instanceof Boolean b) {
      return b ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    if (v instanceof byte[]) {
      throw cannotConvert(v, "BigDecimal");
    }
    try {
      return new BigDecimal(toText(v).strip());
    } catch (NumberFormatException e) {
      throw cannotConvert(v, "BigDecimal");
    }
  }

  static byte[] toBytes(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof byte[] b) {
      return b.clone();
    }
    return toText(v).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The value as a date-time: text in {@link DateTimeText}'s forms, integers as epoch seconds. Text
   * without an offset is placed in {@code zone}.
   */
  static OffsetDateTime toOffsetDateTime(Object v, ZoneId zone) throws SQLException {
    if (v == null) {
      return null;
    }
    if (v instanceof OffsetDateTime o) {
      return o;
    }
    if (v instanceof Instant i) {
      return i.atOffset(ZoneOffset.UTC);
    }
    if (v instanceof ZonedDateTime z) {
      return z.toOffsetDateTime();
    }
    if (v instanceof LocalDateTime l) {
      return l.atZone(zone).toOffsetDateTime();
    }
    try {
      if (v instanceof Long || v instanceof Integer) {
        return Instant.ofEpochSecond(((Number) v).longValue()).atOffset(ZoneOffset.UTC);
      }
      if (v instanceof Double d) {
        long seconds = (long) Math.floor(d);
        long nanos = Math.round((d - seconds) * 1e9);
        return Instant.ofEpochSecond(seconds, nanos).atOffset(ZoneOffset.UTC);
      }
    } catch (DateTimeException | ArithmeticException e) { // beyond Instant's range: no date
      throw outOfRange(v, "timestamp (seconds since the epoch)");
    }
    if (v instanceof byte[] || v instanceof Boolean) {
      throw cannotConvert(v, "timestamp");
    }
    DateTimeText.Parsed p = DateTimeText.parse(toText(v));
    return p.offset() != null
        ? OffsetDateTime.of(p.local(), p.offset())
        : p.local().atZone(zone).toOffsetDateTime();
  }

  /** The date-time fields as written, without converting between offsets. */
  static LocalDateTime toLocalDateTime(Object v) throws SQLException {
    if (v == null) {
      return null;
    }
    if (v instanceof LocalDateTime l) {
      return l;
    }
    if (v instanceof String s) {
      return DateTimeText.parse(s).local();
    }
    return toOffsetDateTime(v, ZoneOffset.UTC).toLocalDateTime();
  }

  static Timestamp toTimestamp(Object v, Calendar cal) throws SQLException {
    OffsetDateTime o = toOffsetDateTime(v, zoneOf(cal));
    if (o == null) {
      return null;
    }
    long seconds = o.toEpochSecond();
    // Timestamp.from multiplies the seconds by 1000 unchecked: beyond this it wraps silently.
    if (seconds > Long.MAX_VALUE / 1000 || seconds < Long.MIN_VALUE / 1000) {
      throw outOfRange(v, "java.sql.Timestamp");
    }
    return Timestamp.from(o.toInstant());
  }

  /**
   * The date as written ({@code 2024-05-01...} gives May 1st), at midnight in {@code cal}'s zone.
   */
  static Date toDate(Object v, Calendar cal) throws SQLException {
    LocalDateTime l = toLocalDateTime(v);
    if (l == null) {
      return null;
    }
    if (cal == null) {
      return Date.valueOf(l.toLocalDate());
    }
    try {
      return new Date(l.toLocalDate().atStartOfDay(zoneOf(cal)).toInstant().toEpochMilli());
    } catch (ArithmeticException e) {
      throw outOfRange(v, "java.sql.Date");
    }
  }

  static Time toTime(Object v, Calendar cal) throws SQLException {
    LocalTime t = toLocalTime(v);
    if (t == null) {
      return null;
    }
    if (cal == null) {
      Time time = Time.valueOf(t);
      time.setTime(time.getTime() + t.getNano() / 1_000_000);
      return time;
    }
    return new Time(t.atDate(LocalDate.EPOCH).atZone(zoneOf(cal)).toInstant().toEpochMilli());
  }

  static LocalTime toLocalTime(Object v) throws SQLException {
    if (v == null) {
      return null;
    }
    if (v instanceof LocalTime t) {
      return t;
    }
    if (v instanceof String s) {
      return DateTimeText.parseTime(s);
    }
    return toLocalDateTime(v).toLocalTime();
  }

  /**
   * {@code getObject(column, type)}: the conversions above, by target class.
   *
   * @throws SQLException with SQLSTATE 22018 for a type the driver cannot produce
   */
  @SuppressWarnings("unchecked")
  static <T> T to(Object v, Class<T> type) throws SQLException {
    if (type == null) {
      throw new SQLException("getObject: the type must not be null", "HY009");
    }
    if (v == null) {
      return null;
    }
    if (type == Object.class || type.isInstance(v) && !(v instanceof byte[])) {
      return (T) v;
    }
    Object r;
    if (type == String.class) {
      r = toText(v);
    } else if (type == Long.class || type == long.class) {
      r = toLong(v);
    } else if (type == Integer.class || type == int.class) {
      r = toInt(v);
    } else if (type == Short.class || type == short.class) {
      r = toShort(v);
    } else if (type == Byte.class || type == byte.class) {
      r = toByte(v);
    } else if (type == Double.class || type == double.class) {
      r = toDouble(v);
    } else if (type == Float.class || type == float.class) {
      r = (float) toDouble(v);
    } else if (type == Boolean.class || type == boolean.class) {
      r = toBoolean(v);
    } else if (type == BigDecimal.class) {
      r = toBigDecimal(v);
    } else if (type == BigInteger.class) {
      r = toBigDecimal(v).toBigInteger();
    } else if (type == byte[].class) {
      r = toBytes(v);
    } else if (type == Timestamp.class) {
      r = toTimestamp(v, null);
    } else if (type == Date.class) {
      r = toDate(v, null);
    } else if (type == Time.class) {
      r = toTime(v, null);
    } else if (type == LocalDateTime.class) {
      r = toLocalDateTime(v);
    } else if (type == LocalDate.class) {
      r = toLocalDateTime(v).toLocalDate();
    } else if (type == LocalTime.class) {
      r = toLocalTime(v);
    } else if (type == OffsetDateTime.class) {
      r = toOffsetDateTime(v, ZoneOffset.UTC);
    } else if (type == Instant.class) {
      r = toOffsetDateTime(v, ZoneOffset.UTC).toInstant();
    } else if (type == ZonedDateTime.class) {
      r = toOffsetDateTime(v, ZoneOffset.UTC).toZonedDateTime();
    } else if (type == java.util.Date.class) {
      r = new java.util.Date(toTimestamp(v, null).getTime());
    } else if (type == UUID.class) {
      r = toUuid(v);
    } else {
      throw cannotConvert(v, type.getName());
    }
    return (T) r;
  }

  private static UUID toUuid(Object v) throws SQLException {
    if (v instanceof byte[] b && b.length == 16) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
      return new UUID(buf.getLong(), buf.getLong());
    }
    try {
      return UUID.fromString(toText(v).strip());
    } catch (IllegalArgumentException e) {
      throw cannotConvert(v, "UUID");
    }
  }

  private static ZoneId zoneOf(Calendar cal) {
    return cal == null ? ZoneOffset.UTC : cal.getTimeZone().toZoneId();
  }

  /** Describes a value for an error message without dumping a large blob or text. */
  static String describe(Object v) {
    if (v instanceof byte[] b) {
      return "a blob of " + b.length + " bytes";
    }
    String s = String.valueOf(v);
    if (s.length() > 40) {
      s = s.substring(0, 40) + "...";
    }
    return (v instanceof String ? "text '" + s + "'" : v.getClass().getSimpleName() + " " + s);
  }

  static SQLException cannotConvert(Object v, String target) {
    return new SQLException(
        "cannot convert " + describe(v) + " to " + target,
        DqliteSqlState.INVALID_CHARACTER_VALUE_FOR_CAST.state());
  }

  private static SQLException outOfRange(Object v, String target) {
    return new SQLException(
        describe(v) + " is out of range for " + target,
        DqliteSqlState.NUMERIC_VALUE_OUT_OF_RANGE.state());
  }
}
