package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.TimeZone;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConversionsTest {

  static Stream<Arguments> longs() {
    return Stream.of(
        Arguments.of(42L, 42L),
        Arguments.of(-1L, -1L),
        Arguments.of(2.9, 2L),
        Arguments.of(-2.9, -2L),
        Arguments.of("17", 17L),
        Arguments.of(" 17 ", 17L),
        Arguments.of("3.5", 3L),
        Arguments.of(true, 1L),
        Arguments.of(false, 0L),
        Arguments.of(null, 0L));
  }

  @ParameterizedTest
  @MethodSource("longs")
  void readsLongs(Object value, long expected) throws SQLException {
    assertThat(Conversions.toLong(value)).isEqualTo(expected);
  }

  static Stream<Arguments> booleans() {
    return Stream.of(
        Arguments.of(true, true),
        Arguments.of(1L, true),
        Arguments.of(0L, false),
        Arguments.of(0.5, true),
        Arguments.of("true", true),
        Arguments.of("T", true),
        Arguments.of("1", true),
        Arguments.of("false", false),
        Arguments.of("0", false),
        Arguments.of(null, false));
  }

  @ParameterizedTest
  @MethodSource("booleans")
  void readsBooleans(Object value, boolean expected) throws SQLException {
    assertThat(Conversions.toBoolean(value)).isEqualTo(expected);
  }

  @Test
  void rejectsWhatCannotBeConvertedWithADataState() {
    assertThatThrownBy(() -> Conversions.toLong("abc"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("text 'abc'")
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("22018");
    assertThatThrownBy(() -> Conversions.toDouble(new byte[3]))
        .hasMessageContaining("a blob of 3 bytes");
    assertThatThrownBy(() -> Conversions.toBoolean("maybe")).isInstanceOf(SQLException.class);
  }

  @Test
  void checksRangesOfNarrowTypes() throws SQLException {
    assertThat(Conversions.toInt(2147483647L)).isEqualTo(Integer.MAX_VALUE);
    assertThatThrownBy(() -> Conversions.toInt(2147483648L))
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("22003");
    assertThatThrownBy(() -> Conversions.toShort(40000L)).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> Conversions.toByte(128L)).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> Conversions.toLong(1e19)).isInstanceOf(SQLException.class);
  }

  @Test
  void readsDecimalsExactlyFromText() throws SQLException {
    assertThat(Conversions.toBigDecimal("12345678901234567890.123456789"))
        .isEqualTo(new BigDecimal("12345678901234567890.123456789"));
    assertThat(Conversions.toBigDecimal(5L)).isEqualTo(BigDecimal.valueOf(5));
    assertThat(Conversions.toBigDecimal(0.1)).isEqualTo(new BigDecimal("0.1"));
    assertThat(Conversions.toBigDecimal(null)).isNull();
  }

  @Test
  void readsTextAndBytes() {
    assertThat(Conversions.toText(12L)).isEqualTo("12");
    assertThat(Conversions.toText(1.5)).isEqualTo("1.5");
    assertThat(Conversions.toText("é".getBytes(StandardCharsets.UTF_8))).isEqualTo("é");
    assertThat(Conversions.toText(OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.UTC)))
        .isEqualTo("2024-05-01 10:00:00+00:00");
    assertThat(Conversions.toBytes("ab")).containsExactly('a', 'b');
    byte[] blob = {1, 2};
    assertThat(Conversions.toBytes(blob)).containsExactly(1, 2).isNotSameAs(blob);
  }

  static Stream<Arguments> timestamps() {
    Instant tenUtc = Instant.parse("2024-05-01T10:00:00Z");
    return Stream.of(
        Arguments.of("2024-05-01 10:00:00", tenUtc),
        Arguments.of("2024-05-01T10:00:00", tenUtc),
        Arguments.of("2024-05-01 10:00", tenUtc),
        Arguments.of("2024-05-01 10:00:00Z", tenUtc),
        Arguments.of("2024-05-01 12:00:00+02:00", tenUtc),
        Arguments.of("2024-05-01 12:00:00+0200", tenUtc),
        Arguments.of("2024-05-01 10:00:00.123456789", tenUtc.plusNanos(123456789)),
        Arguments.of("2024-05-01", Instant.parse("2024-05-01T00:00:00Z")),
        Arguments.of(1714557600L, tenUtc),
        Arguments.of(OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2)), tenUtc));
  }

  @ParameterizedTest
  @MethodSource("timestamps")
  void readsTimestampsFromGoDqliteFormatsTextWithoutOffsetAsUtc(Object value, Instant expected)
      throws SQLException {
    assertThat(Conversions.toTimestamp(value, null).toInstant()).isEqualTo(expected);
  }

  @Test
  void readsTextWithoutOffsetInTheCalendarsZone() throws SQLException {
    Calendar tokyo = Calendar.getInstance(TimeZone.getTimeZone("Asia/Tokyo"));

    Timestamp t = Conversions.toTimestamp("2024-05-01 09:00:00", tokyo);

    assertThat(t.toInstant()).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
  }

  @Test
  void readsDatesAndTimesAsWritten() throws SQLException {
    assertThat(Conversions.toDate("2024-05-01 23:30:00+02:00", null))
        .isEqualTo(Date.valueOf(LocalDate.of(2024, 5, 1)));
    assertThat(Conversions.toTime("13:45:10", null)).isEqualTo(Time.valueOf("13:45:10"));
    assertThat(Conversions.toLocalTime("2024-05-01 13:45:10.5"))
        .isEqualTo(LocalTime.of(13, 45, 10, 500_000_000));
    assertThat(Conversions.toLocalDateTime("2024-05-01 13:45"))
        .isEqualTo(LocalDateTime.of(2024, 5, 1, 13, 45));
    assertThatThrownBy(() -> Conversions.toTimestamp("yesterday", null))
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("22007");
  }

  @Test
  void getObjectWithTypeConvertsByTargetClass() throws SQLException {
    assertThat(Conversions.to(5L, Integer.class)).isEqualTo(5);
    assertThat(Conversions.to("5", Long.class)).isEqualTo(5L);
    assertThat(Conversions.to(1L, Boolean.class)).isTrue();
    assertThat(Conversions.to(2.5, Float.class)).isEqualTo(2.5f);
    assertThat(Conversions.to("1.25", BigDecimal.class)).isEqualTo(new BigDecimal("1.25"));
    assertThat(Conversions.to("2024-05-01", LocalDate.class)).isEqualTo(LocalDate.of(2024, 5, 1));
    assertThat(Conversions.to("2024-05-01 10:00:00", Instant.class))
        .isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
    UUID uuid = UUID.randomUUID();
    assertThat(Conversions.to(uuid.toString(), UUID.class)).isEqualTo(uuid);
    assertThat(Conversions.to(null, String.class)).isNull();
    assertThatThrownBy(() -> Conversions.to(1L, Thread.class))
        .hasMessageContaining("java.lang.Thread");
  }

  /** Integers in a DATETIME column beyond any date: 22003, never DateTimeException. */
  @Test
  void epochSecondsBeyondAnyDateAreOutOfRange() {
    for (Object v : new Object[] {Long.MAX_VALUE, Long.MIN_VALUE, 1e300}) {
      assertThatThrownBy(() -> Conversions.toTimestamp(v, null))
          .isInstanceOf(SQLException.class)
          .hasFieldOrPropertyWithValue("SQLState", "22003")
          .hasMessageContaining("out of range");
      assertThatThrownBy(() -> Conversions.to(v, OffsetDateTime.class))
          .hasFieldOrPropertyWithValue("SQLState", "22003");
    }
  }

  /** Within Instant's range but beyond a Timestamp's milliseconds: 22003, never IAE. */
  @Test
  void datesBeyondATimestampAreOutOfRange() {
    long seconds = 31_556_889_864_403_199L; // Instant.MAX
    assertThatThrownBy(() -> Conversions.toTimestamp(seconds, null))
        .hasFieldOrPropertyWithValue("SQLState", "22003");
    OffsetDateTime far = OffsetDateTime.of(999_999_999, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    assertThatThrownBy(() -> Conversions.toTimestamp(far, null))
        .hasFieldOrPropertyWithValue("SQLState", "22003");
  }
}
