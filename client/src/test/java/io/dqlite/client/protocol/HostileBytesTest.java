package io.dqlite.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Regression tests for what the fuzzer ({@link ProtocolFuzzTest}) and the hardening of the decoders
 * found: each reproduces one input that once escaped as the wrong exception or a wrong value.
 */
class HostileBytesTest {

  /** Text bytes, NUL-terminated and padded to a word. */
  private static byte[] text(String hex) {
    byte[] raw = Hex.bytes(hex);
    return Arrays.copyOf(raw, BodyReader.padded(raw.length + 1));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "lone continuation byte, 61 80 62, 1, 80",
    "lead byte without continuation, 61 c3 62, 1, c3",
    "truncated three-byte sequence, e2 82, 0, e282",
    "overlong encoding of NUL-free '/', c0 af, 0, c0",
    "UTF-16 surrogate encoded as UTF-8, ed a0 80, 0, ed",
    "beyond U+10FFFF, f4 90 80 80, 0, f4",
    "byte never valid in UTF-8, 41 42 ff, 2, ff",
  })
  void malformedUtf8IsRefusedWithFieldAndOffset(
      String what, String hex, int offset, String firstBad) {
    assertThatThrownBy(() -> new BodyReader(text(hex)).getText("failure message"))
        .as(what)
        .isInstanceOfSatisfying(
            MalformedTextException.class,
            e -> {
              assertThat(e.field()).isEqualTo("failure message");
              assertThat(e.bodyOffset()).isEqualTo(offset);
            })
        .hasMessageStartingWith("malformed UTF-8 in failure message: byte 0x" + firstBad)
        .hasMessageContaining("at offset " + offset + " of the text");
  }

  @Test
  void wellFormedUtf8OfEveryLengthDecodes() throws ProtocolException {
    String s = "a\u00e9\u20ac\ud83d\ude00"; // 1, 2, 3 and 4 bytes
    BodyWriter w = new BodyWriter(32).putText(s);
    assertThat(new BodyReader(w.toByteArray()).getText()).isEqualTo(s);
  }

  @Test
  void malformedTextInARowNamesColumnAndRow() {
    RowsResponse good =
        new RowsResponse(
            List.of("id", "name"),
            List.of(
                new Row(List.of(ValueType.INTEGER, ValueType.TEXT), List.of(1L, "ok")),
                new Row(List.of(ValueType.INTEGER, ValueType.TEXT), List.of(2L, "xx"))),
            false);
    byte[] frame = good.encode();
    // The second row's text "xx" becomes 0x78 0xfe.
    int at = indexOf(frame, new byte[] {'x', 'x', 0});
    frame[at + 1] = (byte) 0xfe;
    byte[] body = Arrays.copyOfRange(frame, MessageHeader.SIZE, frame.length);
    assertThatThrownBy(() -> Response.decode(MessageHeader.decode(Arrays.copyOf(frame, 8)), body))
        .isInstanceOfSatisfying(
            MalformedTextException.class,
            e -> {
              assertThat(e.field())
                  .isEqualTo("text value of column 2 ('name') in row 2 of a batch");
              assertThat(e.bodyOffset()).isEqualTo(at + 1 - MessageHeader.SIZE);
            })
        .hasMessageContaining("byte 0xfe at offset 1 of the text");
  }

  @Test
  void malformedColumnNameIsNamed() {
    byte[] frame = new RowsResponse(List.of("ok", "n\u00e9"), List.of(), false).encode();
    int at = indexOf(frame, new byte[] {'n', (byte) 0xc3, (byte) 0xa9});
    frame[at + 2] = 'x'; // a lead byte followed by ASCII
    byte[] body = Arrays.copyOfRange(frame, MessageHeader.SIZE, frame.length);
    assertThatThrownBy(() -> Response.decode(MessageHeader.decode(Arrays.copyOf(frame, 8)), body))
        .isInstanceOfSatisfying(
            MalformedTextException.class, e -> assertThat(e.field()).isEqualTo("name of column 2"));
  }

  /**
   * Requests are read as libdqlite reads them: a node stores any text bytes, and a proxy (the
   * sidecar's app socket) forwards the frame as it came, so it must not refuse one.
   */
  @Test
  void requestTextIsNotValidated() throws ProtocolException {
    byte[] frame = new ExecSqlRequest(0, "INSERT INTO t VALUES ('xx')", List.of(), 0).encode();
    int at = indexOf(frame, new byte[] {'x', 'x'});
    frame[at] = (byte) 0xff;
    byte[] body = Arrays.copyOfRange(frame, MessageHeader.SIZE, frame.length);
    Request r = Request.decode(MessageHeader.decode(Arrays.copyOf(frame, 8)), body);
    assertThat(((ExecSqlRequest) r).sql()).isEqualTo("INSERT INTO t VALUES ('\ufffdx')");
  }

  /** Found by the fuzzer: the decoder read any schema but 0 as 1, the encoder refused it. */
  @Test
  void unknownParameterSchemaIsAProtocolError() {
    byte[] frame = new QuerySqlRequest(0, "SELECT ?", List.of(1L), 1).encode();
    frame[5] = 5; // schema byte of the header
    byte[] body = Arrays.copyOfRange(frame, MessageHeader.SIZE, frame.length);
    assertThatThrownBy(() -> Request.decode(MessageHeader.decode(Arrays.copyOf(frame, 8)), body))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("unknown parameter schema 5");
  }

  /**
   * Found by the fuzzer: a UNIXTIME value beyond Instant's range threw DateTimeException from
   * {@code Row.javaValue}, unchecked, into the application. SQLite stores any integer in a DATETIME
   * column, so a real node sends such values too.
   */
  @Test
  void unixTimeBeyondInstantComesBackAsTheInteger() {
    Row row =
        new Row(
            List.of(ValueType.UNIXTIME, ValueType.UNIXTIME, ValueType.UNIXTIME),
            List.of(Long.MAX_VALUE, Long.MIN_VALUE, 1_700_000_000L));
    assertThat(row.javaValue(0)).isEqualTo(Long.MAX_VALUE);
    assertThat(row.javaValue(1)).isEqualTo(Long.MIN_VALUE);
    assertThat(row.javaValue(2)).isEqualTo(OffsetDateTime.parse("2023-11-14T22:13:20Z"));
  }

  /**
   * Found by HostileNodeJdbcFuzzTest: a rows-affected count past 2^63 came out as a negative update
   * count (and executeUpdate threw ArithmeticException on counts past 2^31, which it now caps at
   * Integer.MAX_VALUE as getUpdateCount does).
   */
  @Test
  void aRowsAffectedCountPast2To63IsAProtocolError() throws ProtocolException {
    byte[] body = new BodyWriter(16).putUint64(-7).putUint64(-1).toByteArray();
    MessageHeader header = MessageHeader.forBody(ResponseType.RESULT.code(), 0, 16);
    assertThatThrownBy(() -> Response.decode(header, body))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("counts 18446744073709551615 rows affected");
    byte[] negativeRowid = new BodyWriter(16).putUint64(-7).putUint64(3).toByteArray();
    assertThat(Response.decode(header, negativeRowid)).isEqualTo(new ResultResponse(-7, 3));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = haystack.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
