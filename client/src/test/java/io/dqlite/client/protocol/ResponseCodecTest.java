package io.dqlite.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.model.DumpFile;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every response type against golden bytes derived from libdqlite 1.11.1's {@code response.h}. */
class ResponseCodecTest {

  static Stream<Arguments> goldens() {
    return Stream.of(
        golden(
            new FailureResponse(1, "no such table: x"),
            "04000000 00 00 0000  0100000000000000 6e6f207375636820 7461626c653a2078"
                + " 0000000000000000"),
        golden(
            new NodeResponse(0x2dc171858c3155beL, "127.0.0.1:9001"),
            "03000000 01 00 0000  be55318c8571c12d 3132372e302e302e 313a393030310000"),
        golden(new WelcomeResponse(15000), "01000000 02 00 0000  983a000000000000"),
        golden(
            new NodesResponse(
                NodesResponse.FORMAT_V1,
                List.of(
                    new NodeInfo(1, "a:1", NodeRole.VOTER),
                    new NodeInfo(2, "b:2", NodeRole.SPARE))),
            "07000000 03 00 0000  0200000000000000"
                + " 0100000000000000 613a310000000000 0000000000000000"
                + " 0200000000000000 623a320000000000 0200000000000000"),
        golden(new DbResponse(0), "01000000 04 00 0000  00000000 00000000"),
        golden(
            new StmtResponse(0, 1, 2), "02000000 05 00 0000  00000000 01000000 0200000000000000"),
        golden(new ResultResponse(5, 1), "02000000 06 00 0000  0500000000000000 0100000000000000"),
        golden(
            new RowsResponse(
                List.of("a", "b"),
                List.of(new Row(List.of(ValueType.INTEGER, ValueType.TEXT), List.of(7L, "x"))),
                false),
            "07000000 07 00 0000  0200000000000000 6100000000000000 6200000000000000"
                + " 3100000000000000 0700000000000000 7800000000000000 ffffffffffffffff"),
        golden(new EmptyResponse(), "01000000 08 00 0000  0000000000000000"),
        golden(
            new FilesResponse(
                List.of(
                    new DumpFile("demo", new byte[] {0, 1, 2, 3, 4, 5, 6, 7}),
                    new DumpFile("demo-wal", new byte[0]))),
            "07000000 09 00 0000  0200000000000000 64656d6f00000000 0800000000000000"
                + " 0001020304050607 64656d6f2d77616c 0000000000000000 0000000000000000"),
        golden(
            new MetadataResponse(3, 4), "02000000 0a 00 0000  0300000000000000 0400000000000000"));
  }

  private static Arguments golden(Response response, String hex) {
    return Arguments.of(response.type().toString(), response, hex);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void encodesToGoldenBytes(String name, Response response, String hex) {
    assertThat(Hex.of(response.encode())).isEqualTo(Hex.of(Hex.bytes(hex)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void decodesGoldenBytesBackToTheSameBytes(String name, Response response, String hex)
      throws Exception {
    byte[] frame = Hex.bytes(hex);
    Response decoded = decode(frame);
    assertThat(decoded.type()).isEqualTo(response.type());
    assertThat(Hex.of(decoded.encode())).isEqualTo(Hex.of(frame));
    if (!(response instanceof FilesResponse)) { // byte[] fields compare by identity
      assertThat(decoded).isEqualTo(response);
    }
  }

  @Test
  void everyResponseTypeHasAGolden() {
    assertThat(goldens().map(a -> ((Response) a.get()[1]).type()).distinct())
        .containsExactlyInAnyOrder(ResponseType.values());
  }

  @Test
  void rowsWithEveryTypeAndAPartMarkerRoundTrip() throws Exception {
    List<ValueType> types =
        List.of(
            ValueType.INTEGER,
            ValueType.FLOAT,
            ValueType.TEXT,
            ValueType.BLOB,
            ValueType.NULL,
            ValueType.UNIXTIME,
            ValueType.ISO8601,
            ValueType.BOOLEAN);
    Row row =
        new Row(
            types,
            Arrays.asList(
                -1L, 0.5, "héllo ✓", new byte[] {9, 8, 7}, null, 1700000000L, "2024-01-02", 1L));
    RowsResponse rows =
        new RowsResponse(List.of("i", "f", "t", "b", "n", "u", "d", "x"), List.of(row, row), true);
    byte[] frame = rows.encode();
    RowsResponse decoded = (RowsResponse) decode(frame);
    assertThat(decoded.more()).isTrue();
    assertThat(decoded.rows()).hasSize(2);
    assertThat(decoded.rows().get(0).types()).isEqualTo(types);
    assertThat(decoded.rows().get(1).javaValue(2)).isEqualTo("héllo ✓");
    assertThat(decoded.rows().get(1).javaValue(7)).isEqualTo(true);
    assertThat(decoded.encode()).isEqualTo(frame);
    // 8 columns: a 4-byte type header padded to one word; PART marker at the end.
    assertThat(Hex.of(Arrays.copyOfRange(frame, frame.length - 8, frame.length)))
        .isEqualTo("eeeeeeeeeeeeeeee");
  }

  @Test
  void rowHeaderNibblesFollowColumnOrder() {
    // 3 columns: FLOAT, BLOB, NULL -> byte 0 = 0x42 (low nibble first), byte 1 = 0x05.
    BodyWriter w = new BodyWriter();
    Tuples.writeRow(
        w,
        new Row(
            List.of(ValueType.FLOAT, ValueType.BLOB, ValueType.NULL),
            Arrays.asList(1.0, new byte[0], null)));
    assertThat(Hex.of(w.toByteArray()).substring(0, 16)).isEqualTo("4205000000000000");
  }

  static Stream<Arguments> malformedRows() {
    String cols = "0100000000000000 6100000000000000";
    return Stream.of(
        Arguments.of("no end marker", cols + " 0100000000000000 0700000000000000", "truncated"),
        Arguments.of("corrupt marker", cols + " ffffffff00000000", "corrupt end marker"),
        Arguments.of("bytes after marker", cols + " ffffffffffffffff 0000000000000000", "after"),
        Arguments.of("unknown value type", cols + " 0600000000000000 0000000000000000", "type 6"),
        Arguments.of("zero columns", "0000000000000000 ffffffffffffffff", "0 columns"),
        Arguments.of("absurd column count", "ffffff0000000000 ffffffffffffffff", "columns"),
        Arguments.of("truncated text", cols + " 0300000000000000 6161616161616161", "NUL"),
        Arguments.of("blob longer than body", cols + " 0400000000000000 ff00000000000000", "blob"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedRows")
  void malformedRowsAreProtocolErrors(String name, String body, String message) {
    byte[] bodyBytes = Hex.bytes(body);
    MessageHeader header = MessageHeader.forBody(ResponseType.ROWS.code(), 0, bodyBytes.length);
    assertThatThrownBy(() -> Response.decode(header, bodyBytes))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(message);
  }

  @Test
  void nodesInFormatZeroHaveNoRoles() throws Exception {
    NodesResponse v0 =
        new NodesResponse(NodesResponse.FORMAT_V0, List.of(new NodeInfo(1, "a:1", NodeRole.VOTER)));
    byte[] frame = v0.encode();
    assertThat(Hex.of(frame))
        .isEqualTo("03000000030000000100000000000000010000000000000061" + "3a310000000000");
    MessageHeader header = MessageHeader.decode(Arrays.copyOf(frame, 8));
    assertThat(
            Response.decode(
                header, Arrays.copyOfRange(frame, 8, frame.length), NodesResponse.FORMAT_V0))
        .isEqualTo(v0);
  }

  @Test
  void rejectsUnknownResponseTypesAndRoles() {
    assertThatThrownBy(() -> decode(Hex.bytes("01000000 0b 00 0000 0000000000000000")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("unknown response type 11");
    assertThatThrownBy(
            () ->
                decode(
                    Hex.bytes(
                        "04000000 03 00 0000 0100000000000000 0100000000000000"
                            + " 613a310000000000 0700000000000000")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("unknown node role code 7");
  }

  static Response decode(byte[] frame) throws ProtocolException {
    MessageHeader header = MessageHeader.decode(Arrays.copyOf(frame, 8));
    assertThat(header.bodyBytes()).isEqualTo(frame.length - 8);
    return Response.decode(header, Arrays.copyOfRange(frame, 8, frame.length));
  }
}
