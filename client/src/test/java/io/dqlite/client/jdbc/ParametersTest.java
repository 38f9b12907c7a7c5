package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Calendar;
import java.util.TimeZone;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParametersTest {

  static Stream<Arguments> wireValues() {
    UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    return Stream.of(
        Arguments.of(null, null),
        Arguments.of(7, 7L),
        Arguments.of((short) 7, 7L),
        Arguments.of((byte) 7, 7L),
        Arguments.of(7L, 7L),
        Arguments.of(1.5f, 1.5),
        Arguments.of(0.1f, 0.1),
        Arguments.of(true, 1L),
        Arguments.of(false, 0L),
        Arguments.of("x", "x"),
        Arguments.of('c', "c"),
        Arguments.of(new BigDecimal("1E+3"), "1000"),
        Arguments.of(new BigDecimal("0.10"), "0.10"),
        Arguments.of(BigInteger.TEN, 10L),
        Arguments.of(BigInteger.TWO.pow(70), "1180591620717411303424"),
        Arguments.of(
            Timestamp.from(Instant.parse("2024-05-01T10:00:00.120Z")),
            "2024-05-01 10:00:00.12+00:00"),
        Arguments.of(Instant.parse("2024-05-01T10:00:00Z"), "2024-05-01 10:00:00+00:00"),
        Arguments.of(
            OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 5, ZoneOffset.ofHours(-7)),
            "2024-05-01 10:00:00.000000005-07:00"),
        Arguments.of(LocalDateTime.of(2024, 5, 1, 10, 0), "2024-05-01 10:00:00"),
        Arguments.of(LocalDate.of(2024, 5, 1), "2024-05-01"),
        Arguments.of(Date.valueOf("2024-05-01"), "2024-05-01"),
        Arguments.of(Time.valueOf("13:45:10"), "13:45:10"),
        Arguments.of(uuid, "123e4567-e89b-12d3-a456-426614174000"),
        Arguments.of(new StringReader("text"), "text"));
  }

  @ParameterizedTest
  @MethodSource("wireValues")
  void convertsJavaValuesToWireValues(Object java, Object wire) throws SQLException {
    assertThat(Parameters.toWire(java)).isEqualTo(wire);
  }

  @Test
  void convertsBinaryValuesToCopies() throws SQLException {
    byte[] bytes = {1, 2, 3};
    assertThat((byte[]) Parameters.toWire(bytes)).containsExactly(1, 2, 3).isNotSameAs(bytes);
    assertThat((byte[]) Parameters.toWire(new ByteArrayInputStream(bytes)))
        .containsExactly(1, 2, 3);
    assertThat(Parameters.readBytes(new ByteArrayInputStream(bytes), 2)).containsExactly(1, 2);
    assertThatThrownBy(() -> Parameters.readBytes(new ByteArrayInputStream(bytes), 5))
        .hasMessageContaining("ended after 3 of the 5 bytes");
    assertThat(Parameters.readText(new StringReader("abcdef"), 3)).isEqualTo("abc");
  }

  @Test
  void rejectsUnsupportedTypesNamingThem() {
    assertThatThrownBy(() -> Parameters.toWire(new Object()))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void writesCalendarValuesInTheCalendarsZone() throws SQLException {
    Calendar plus2 = Calendar.getInstance(TimeZone.getTimeZone("GMT+02:00"));
    Timestamp ts = Timestamp.from(Instant.parse("2024-05-01T23:00:00Z"));

    assertThat(Parameters.timestamp(ts, plus2)).isEqualTo("2024-05-02 01:00:00+02:00");
    assertThat(Parameters.date(new Date(ts.getTime()), plus2)).isEqualTo("2024-05-02");
    assertThat(Parameters.time(new Time(ts.getTime()), plus2)).isEqualTo("01:00:00");
  }

  @Test
  void requiresEveryParameterAndChecksIndexes() throws SQLException {
    Parameters params = new Parameters(2);
    params.set(1, 1L);

    assertThatThrownBy(params::toList).hasMessageContaining("parameter 2");
    assertThatThrownBy(() -> params.set(3, 1L))
        .hasMessageContaining("index 3 is out of range: the statement has 2")
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("07009");

    params.set(2, null);
    assertThat(params.toList()).containsExactly(1L, null);
    Object[] snapshot = params.snapshot();
    params.clear();
    params.restore(snapshot);
    assertThat(Arrays.asList(params.snapshot())).containsExactly(1L, null);
  }
}
