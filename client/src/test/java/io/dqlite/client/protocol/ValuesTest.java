package io.dqlite.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValuesTest {

  static Stream<Arguments> parameters() {
    OffsetDateTime t = OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 120_000_000, ZoneOffset.ofHours(2));
    return Stream.of(
        Arguments.of(null, ValueType.NULL, null),
        Arguments.of(7L, ValueType.INTEGER, 7L),
        Arguments.of(7, ValueType.INTEGER, 7L),
        Arguments.of((short) 7, ValueType.INTEGER, 7L),
        Arguments.of((byte) 7, ValueType.INTEGER, 7L),
        Arguments.of(BigInteger.valueOf(Long.MIN_VALUE), ValueType.INTEGER, Long.MIN_VALUE),
        Arguments.of(1.5, ValueType.FLOAT, 1.5),
        Arguments.of(1.5f, ValueType.FLOAT, 1.5),
        Arguments.of("s", ValueType.TEXT, "s"),
        Arguments.of(new BigDecimal("1.10"), ValueType.TEXT, "1.10"),
        Arguments.of(new BigDecimal("1E+3"), ValueType.TEXT, "1000"),
        Arguments.of(true, ValueType.BOOLEAN, 1L),
        Arguments.of(false, ValueType.BOOLEAN, 0L),
        Arguments.of(t, ValueType.ISO8601, "2024-01-02 03:04:05.12+02:00"),
        Arguments.of(
            ZonedDateTime.of(2024, 7, 1, 0, 0, 0, 0, ZoneId.of("America/New_York")),
            ValueType.ISO8601,
            "2024-07-01 00:00:00-04:00"),
        Arguments.of(
            Instant.parse("2024-01-02T03:04:05.000000001Z"),
            ValueType.ISO8601,
            "2024-01-02 03:04:05.000000001+00:00"),
        Arguments.of(
            new java.util.Date(1_700_000_000_123L),
            ValueType.ISO8601,
            "2023-11-14 22:13:20.123+00:00"),
        Arguments.of(
            LocalDateTime.of(2024, 1, 2, 3, 4, 5), ValueType.ISO8601, "2024-01-02 03:04:05"),
        Arguments.of(LocalDate.of(2024, 1, 2), ValueType.ISO8601, "2024-01-02"));
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @MethodSource("parameters")
  void mapsJavaParameters(Object java, ValueType type, Object raw) {
    TypedValue v = Values.toWire(java);
    assertThat(v.type()).isEqualTo(type);
    assertThat(v.raw()).isEqualTo(raw);
  }

  @Test
  void blobsKeepTheirBytes() {
    byte[] b = {1, 2};
    assertThat(Values.toWire(b).raw()).isSameAs(b);
  }

  @Test
  void refusesUnsupportedTypesAndOversizedIntegers() {
    assertThatThrownBy(() -> Values.toWire(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported parameter type java.lang.Object");
    assertThatThrownBy(() -> Values.toWire(BigInteger.ONE.shiftLeft(63)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64-bit");
    assertThatThrownBy(() -> new TypedValue(ValueType.INTEGER, "1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static Stream<Arguments> iso8601() {
    ZoneOffset utc = ZoneOffset.UTC;
    return Stream.of(
        Arguments.of(
            "2024-01-02 03:04:05.123456789+02:00",
            OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 123456789, ZoneOffset.ofHours(2))),
        Arguments.of(
            "2024-01-02T03:04:05.5-07:00",
            OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000, ZoneOffset.ofHours(-7))),
        Arguments.of(
            "2024-01-02 03:04:05.25", OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 250_000_000, utc)),
        Arguments.of("2024-01-02T03:04:05", OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, utc)),
        Arguments.of("2024-01-02 03:04:05Z", OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, utc)),
        Arguments.of("2024-01-02 03:04", OffsetDateTime.of(2024, 1, 2, 3, 4, 0, 0, utc)),
        Arguments.of("2024-01-02", OffsetDateTime.of(2024, 1, 2, 0, 0, 0, 0, utc)),
        Arguments.of("", null),
        Arguments.of("yesterday", "yesterday"),
        Arguments.of("2024-13-02", "2024-13-02"));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource("iso8601")
  void readsIso8601LikeGoDqlite(String text, Object expected) {
    assertThat(Values.toJava(ValueType.ISO8601, text)).isEqualTo(expected);
  }

  @Test
  void formattedTimesParseBackToTheSameInstant() {
    OffsetDateTime t =
        OffsetDateTime.of(2030, 12, 31, 23, 59, 59, 999_999_999, ZoneOffset.ofHoursMinutes(5, 30));
    assertThat(Values.parseIso8601(Values.formatIso8601(t))).isEqualTo(t);
  }

  @Test
  void mapsSpecialResultTypes() {
    assertThat(Values.toJava(ValueType.UNIXTIME, 1_700_000_000L))
        .isEqualTo(OffsetDateTime.of(2023, 11, 14, 22, 13, 20, 0, ZoneOffset.UTC));
    assertThat(Values.toJava(ValueType.BOOLEAN, 0L)).isEqualTo(false);
    assertThat(Values.toJava(ValueType.BOOLEAN, 2L)).isEqualTo(true);
    assertThat(Values.toJava(ValueType.INTEGER, 2L)).isEqualTo(2L);
  }
}
