package io.dqlite.client.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Java values map to dqlite values and back.
 *
 * <p>Parameters: {@code Long, Integer, Short, Byte} and a {@code BigInteger} in the long range →
 * INTEGER; {@code Double, Float} → FLOAT; {@code String} → TEXT; {@code byte[]} → BLOB; {@code
 * null} → NULL; {@code Boolean} → BOOLEAN; {@code BigDecimal} → TEXT in plain notation (exact;
 * SQLite's NUMERIC affinity converts it if the column asks for it); {@code OffsetDateTime,
 * ZonedDateTime, Instant, java.util.Date} (including {@code java.sql.Timestamp}), {@code
 * LocalDateTime, LocalDate} → ISO8601 text in go-dqlite's layout {@code 2006-01-02
 * 15:04:05.999999999-07:00} (fraction without trailing zeros, offset always numeric; local types
 * without offset); a {@link TypedValue} as it says.
 *
 * <p>Results: INTEGER → Long, FLOAT → Double, TEXT → String, BLOB → byte[], NULL → null, BOOLEAN →
 * Boolean, UNIXTIME → OffsetDateTime at UTC (the Long itself beyond {@link Instant}'s range),
 * ISO8601 → OffsetDateTime (text without an offset is read as UTC, like go-dqlite; "" is null; text
 * that is not a date in one of go-dqlite's layouts comes back unchanged as a String rather than
 * failing the whole result set).
 */
public final class Values {

  private Values() {}

  /** The Java class of a wire value of this type, null for NULL. */
  static Class<?> rawClass(ValueType type) {
    return switch (type) {
      case INTEGER, UNIXTIME, BOOLEAN -> Long.class;
      case FLOAT -> Double.class;
      case TEXT, ISO8601 -> String.class;
      case BLOB -> byte[].class;
      case NULL -> null;
    };
  }

  /**
   * Maps a Java parameter to its wire type and value.
   *
   * @throws IllegalArgumentException for a Java type with no dqlite mapping
   */
  public static TypedValue toWire(Object v) {
    if (v == null) {
      return new TypedValue(ValueType.NULL, null);
    } else if (v instanceof TypedValue t) {
      return t;
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      return new TypedValue(ValueType.INTEGER, ((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      return new TypedValue(ValueType.FLOAT, ((Number) v).doubleValue());
    } else if (v instanceof String s) {
      return new TypedValue(ValueType.TEXT, s);
    } else if (v instanceof byte[] b) {
      return new TypedValue(ValueType.BLOB, b);
    } else if (v instanceof Boolean b) {
      return new TypedValue(ValueType.BOOLEAN, b ? 1L : 0L);
    } else if (v instanceof BigInteger b) {
      if (b.bitLength() > 63) {
        throw new IllegalArgumentException("BigInteger " + b + " does not fit a 64-bit INTEGER");
      }
      return new TypedValue(ValueType.INTEGER, b.longValue());
    } else if (v instanceof BigDecimal d) {
      return new TypedValue(ValueType.TEXT, d.toPlainString());
    } else if (v instanceof OffsetDateTime t) {
      return new TypedValue(ValueType.ISO8601, formatIso8601(t));
    } else if (v instanceof ZonedDateTime t) {
      return new TypedValue(ValueType.ISO8601, formatIso8601(t.toOffsetDateTime()));
    } else if (v instanceof Instant t) {
      return new TypedValue(ValueType.ISO8601, formatIso8601(t.atOffset(ZoneOffset.UTC)));
    } else if (v instanceof java.sql.Timestamp t) {
      return toWire(t.toInstant());
    } else if (v instanceof java.util.Date d) {
      return toWire(Instant.ofEpochMilli(d.getTime()));
    } else if (v instanceof LocalDateTime t) {
      return new TypedValue(ValueType.ISO8601, formatLocal(t));
    } else if (v instanceof LocalDate d) {
      return new TypedValue(ValueType.ISO8601, d.toString());
    }
    throw new IllegalArgumentException(
        "unsupported parameter type "
            + v.getClass().getName()
            + "; use Long, Integer, Double, String, byte[], Boolean, null, BigDecimal,"
            + " java.time types or TypedValue");
  }

  /** Converts a decoded wire value to the Java value described in the class comment. */
  public static Object toJava(ValueType type, Object raw) {
    return switch (type) {
      case BOOLEAN -> ((Long) raw) != 0;
      case UNIXTIME -> unixTime((Long) raw);
      case ISO8601 -> parseIso8601((String) raw);
      default -> raw;
    };
  }

  /**
   * Seconds since the epoch at UTC; the Long itself when it is beyond what {@link Instant} holds
   * (about ±10^9 years): SQLite stores any integer in a DATETIME column, and one that is no date
   * must not fail the read, as text that is no date does not.
   */
  private static Object unixTime(long seconds) {
    if (seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
      return seconds;
    }
    return OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds), ZoneOffset.UTC);
  }

  /** Formats like go-dqlite: {@code 2006-01-02 15:04:05.999999999-07:00}. */
  public static String formatIso8601(OffsetDateTime t) {
    StringBuilder sb = new StringBuilder(formatLocal(t.toLocalDateTime()));
    int seconds = t.getOffset().getTotalSeconds();
    sb.append(seconds < 0 ? '-' : '+');
    int abs = Math.abs(seconds);
    sb.append(String.format("%02d:%02d", abs / 3600, (abs / 60) % 60));
    return sb.toString();
  }

  private static String formatLocal(LocalDateTime t) {
    StringBuilder sb =
        new StringBuilder(
            String.format(
                "%04d-%02d-%02d %02d:%02d:%02d",
                t.getYear(),
                t.getMonthValue(),
                t.getDayOfMonth(),
                t.getHour(),
                t.getMinute(),
                t.getSecond()));
    int nanos = t.getNano();
    if (nanos != 0) {
      String fraction = String.format("%09d", nanos).replaceFirst("0+$", "");
      sb.append('.').append(fraction);
    }
    return sb.toString();
  }

  // go-dqlite's layouts: date, optional [ T] time with optional seconds and fraction, optional
  // numeric offset; a trailing Z is trimmed first and means UTC, as does a missing offset.
  private static final Pattern ISO8601 =
      Pattern.compile(
          "(\\d{4})-(\\d{2})-(\\d{2})"
              + "(?:[ T](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
              + "([+-]\\d{2}:\\d{2})?");

  /**
   * Parses text the way go-dqlite reads ISO8601 columns.
   *
   * @return an OffsetDateTime, null for "", or the text itself if it is not a date go-dqlite would
   *     read
   */
  public static Object parseIso8601(String text) {
    if (text.isEmpty()) {
      return null;
    }
    String s = text.endsWith("Z") ? text.substring(0, text.length() - 1) : text;
    Matcher m = ISO8601.matcher(s);
    if (!m.matches()) {
      return text;
    }
    try {
      int nanos = 0;
      if (m.group(7) != null) {
        nanos = Integer.parseInt((m.group(7) + "00000000").substring(0, 9));
      }
      ZoneOffset offset = m.group(8) == null ? ZoneOffset.UTC : ZoneOffset.of(m.group(8));
      return OffsetDateTime.of(
          Integer.parseInt(m.group(1)),
          Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)),
          m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
          m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
          m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
          nanos,
          offset);
    } catch (DateTimeException e) {
      return text;
    }
  }

  static void write(BodyWriter w, TypedValue v) {
    switch (v.type()) {
      case INTEGER, UNIXTIME, BOOLEAN -> w.putInt64((Long) v.raw());
      case FLOAT -> w.putFloat64((Double) v.raw());
      case TEXT, ISO8601 -> w.putText((String) v.raw());
      case BLOB -> w.putBlob((byte[]) v.raw());
      case NULL -> w.putUint64(0);
    }
  }

  static Object read(BodyReader r, ValueType type) throws ProtocolException {
    return switch (type) {
      case INTEGER, UNIXTIME, BOOLEAN -> r.getInt64();
      case FLOAT -> r.getFloat64();
      case TEXT, ISO8601 -> r.getText();
      case BLOB -> r.getBlob();
      case NULL -> {
        r.getUint64();
        yield null;
      }
    };
  }
}
