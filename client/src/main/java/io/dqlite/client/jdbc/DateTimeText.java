package io.dqlite.client.jdbc;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * Dates and times as text in the database, in the forms go-dqlite reads and writes so that both
 * clients understand each other's rows: {@code 2006-01-02 15:04:05.999999999-07:00} (fraction and
 * offset optional, {@code T} accepted for the space, {@code Z} for {@code +00:00}), {@code
 * 2006-01-02 15:04}, {@code 2006-01-02}, and times of day {@code 15:04:05.999}.
 *
 * <p>Text without an offset is read as UTC, as SQLite's own {@code datetime('now')} writes it.
 */
final class DateTimeText {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE;

  private static final DateTimeFormatter TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("HH:mm")
          .optionalStart()
          .appendPattern(":ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .optionalEnd()
          .toFormatter();

  private static final DateTimeFormatter READ =
      new DateTimeFormatterBuilder()
          .append(DATE)
          .optionalStart()
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .append(TIME)
          .optionalStart()
          .appendOffset("+HH:MM", "Z")
          .optionalEnd()
          .optionalStart()
          .appendOffset("+HHMM", "Z")
          .optionalEnd()
          .optionalEnd()
          .toFormatter();

  private static final DateTimeFormatter WRITE_LOCAL =
      new DateTimeFormatterBuilder()
          .append(DATE)
          .appendLiteral(' ')
          .appendPattern("HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .toFormatter();

  private static final DateTimeFormatter WRITE_TIME =
      new DateTimeFormatterBuilder()
          .appendPattern("HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .toFormatter();

  private DateTimeText() {}

  /** A parsed date-time: the local fields as written, and the offset if one was written. */
  record Parsed(LocalDateTime local, ZoneOffset offset) {
    Instant instant() {
      return local.toInstant(offset == null ? ZoneOffset.UTC : offset);
    }

    OffsetDateTime offsetDateTime() {
      return OffsetDateTime.of(local, offset == null ? ZoneOffset.UTC : offset);
    }
  }

  /** Parses a date or date-time; a date alone is midnight. */
  static Parsed parse(String text) throws SQLException {
    String s = text.strip();
    try {
      TemporalAccessor t = READ.parse(s);
      LocalDate date = LocalDate.from(t);
      LocalTime time =
          t.isSupported(ChronoField.HOUR_OF_DAY) ? LocalTime.from(t) : LocalTime.MIDNIGHT;
      ZoneOffset offset = t.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(t) : null;
      return new Parsed(LocalDateTime.of(date, time), offset);
    } catch (DateTimeParseException e) {
      throw new SQLException(
          "cannot read '" + text + "' as a date/time: expected yyyy-MM-dd[ HH:mm[:ss[.f]]][+hh:mm]",
          DqliteSqlState.INVALID_DATETIME_FORMAT.state(),
          e);
    }
  }

  /** Parses a time of day alone, or takes the time part of a date-time. */
  static LocalTime parseTime(String text) throws SQLException {
    String s = text.strip();
    try {
      return LocalTime.parse(s, TIME);
    } catch (DateTimeParseException e) {
      return parse(s).local().toLocalTime();
    }
  }

  /** {@code 2006-01-02 15:04:05.123+00:00}: an instant, written in UTC with its offset. */
  static String format(Instant instant) {
    return format(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  /** {@code 2006-01-02 15:04:05.123-07:00}. */
  static String format(OffsetDateTime value) {
    return WRITE_LOCAL.format(value.toLocalDateTime())
        + (value.getOffset().equals(ZoneOffset.UTC) ? "+00:00" : value.getOffset().getId());
  }

  /** {@code 2006-01-02 15:04:05.123}: no offset, for values that have none. */
  static String format(LocalDateTime value) {
    return WRITE_LOCAL.format(value);
  }

  static String format(LocalDate value) {
    return DATE.format(value);
  }

  static String format(LocalTime value) {
    return WRITE_TIME.format(value);
  }
}
