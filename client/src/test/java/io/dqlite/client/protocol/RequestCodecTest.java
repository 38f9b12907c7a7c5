package io.dqlite.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.model.NodeRole;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request type against golden bytes derived from libdqlite 1.11.1's {@code request.h} and
 * go-dqlite 1.11.5's encoders: header (words, type, schema, extra) then the word-padded body.
 */
class RequestCodecTest {

  static Stream<Arguments> goldens() {
    return Stream.of(
        golden(new LeaderRequest(), "01000000 00 00 0000  0000000000000000"),
        golden(new ClientRequest(0), "01000000 01 00 0000  0000000000000000"),
        golden(new HeartbeatRequest(0x0102030405060708L), "01000000 02 00 0000  0807060504030201"),
        golden(
            new OpenRequest("test", 0, "volatile"),
            "04000000 03 00 0000  7465737400000000 0000000000000000"
                + " 766f6c6174696c65 0000000000000000"),
        golden(
            new PrepareRequest(0, "SELECT 1"),
            "03000000 04 00 0000  0000000000000000 53454c4543542031 0000000000000000"),
        golden(
            new ExecRequest(0, 1, List.of(1L)),
            "03000000 05 00 0000  00000000 01000000  0101000000000000 0100000000000000"),
        golden(new ExecRequest(0, 1, List.of()), "01000000 05 00 0000  00000000 01000000"),
        golden(
            new ExecRequest(0, 1, List.of(1L), 1),
            "03000000 05 01 0000  00000000 01000000  01000000 01 000000 0100000000000000"),
        golden(
            new QueryRequest(0, 2, Arrays.asList(null, "a")),
            "04000000 06 00 0000  00000000 02000000  0205030000000000"
                + " 0000000000000000 6100000000000000"),
        golden(new FinalizeRequest(0, 3), "01000000 07 00 0000  00000000 03000000"),
        golden(
            new ExecSqlRequest(0, "x", List.of(true)),
            "04000000 08 00 0000  0000000000000000 7800000000000000"
                + " 010b000000000000 0100000000000000"),
        golden(
            new QuerySqlRequest(0, "q", List.of()),
            "02000000 09 00 0000  0000000000000000 7100000000000000"),
        golden(new InterruptRequest(0), "01000000 0a 00 0000  0000000000000000"),
        golden(
            new ConnectRequest(5, "a:1"), "02000000 0b 00 0000  0500000000000000 613a310000000000"),
        golden(
            new AddRequest(0x10, "127.0.0.1:9001"),
            "03000000 0c 00 0000  1000000000000000 3132372e302e302e 313a393030310000"),
        golden(
            new AssignRequest(0x10, NodeRole.STANDBY),
            "02000000 0d 00 0000  1000000000000000 0100000000000000"),
        golden(new AssignRequest(0x10, null), "01000000 0d 00 0000  1000000000000000"),
        golden(new RemoveRequest(0x10), "01000000 0e 00 0000  1000000000000000"),
        golden(new DumpRequest("demo"), "01000000 0f 00 0000  64656d6f00000000"),
        golden(new ClusterRequest(1), "01000000 10 00 0000  0100000000000000"),
        golden(new TransferRequest(2), "01000000 11 00 0000  0200000000000000"),
        golden(new DescribeRequest(0), "01000000 12 00 0000  0000000000000000"),
        golden(new WeightRequest(7), "01000000 13 00 0000  0700000000000000"));
  }

  private static Arguments golden(Request request, String hex) {
    return Arguments.of(request.type() + " " + request, request, hex);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void encodesToGoldenBytes(String name, Request request, String hex) {
    assertThat(Hex.of(request.encode())).isEqualTo(Hex.of(Hex.bytes(hex)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void decodesGoldenBytesBackToTheSameMessage(String name, Request request, String hex)
      throws Exception {
    byte[] frame = Hex.bytes(hex);
    Request decoded = decode(frame);
    assertThat(decoded.type()).isEqualTo(request.type());
    assertThat(Hex.of(decoded.encode())).isEqualTo(Hex.of(frame));
    assertThat(decoded).isEqualTo(request);
  }

  @Test
  void everyRequestTypeHasAGolden() {
    assertThat(goldens().map(a -> ((Request) a.get()[1]).type()).distinct())
        .containsExactlyInAnyOrder(RequestType.values());
  }

  @Test
  void decodesSpecialParameterTypesAsTypedValues() throws Exception {
    ExecSqlRequest request =
        new ExecSqlRequest(
            0,
            "x",
            List.of(
                new TypedValue(ValueType.ISO8601, "2024-01-02 03:04:05+00:00"),
                new TypedValue(ValueType.UNIXTIME, 5L),
                new TypedValue(ValueType.BOOLEAN, 2L),
                false,
                new byte[] {1, 2, 3},
                2.5));
    byte[] frame = request.encode();
    ExecSqlRequest decoded = (ExecSqlRequest) decode(frame);
    assertThat(decoded.params().subList(0, 4))
        .containsExactly(
            new TypedValue(ValueType.ISO8601, "2024-01-02 03:04:05+00:00"),
            new TypedValue(ValueType.UNIXTIME, 5L),
            new TypedValue(ValueType.BOOLEAN, 2L),
            false);
    assertThat((byte[]) decoded.params().get(4)).containsExactly(1, 2, 3);
    assertThat(decoded.params().get(5)).isEqualTo(2.5);
    assertThat(decoded.encode()).isEqualTo(frame);
  }

  @Test
  void rejectsAnUnknownRequestType() {
    assertThatThrownBy(() -> decode(Hex.bytes("01000000 14 00 0000 0000000000000000")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("unknown request type 20");
  }

  @Test
  void rejectsATruncatedBody() {
    // An add request whose address has no NUL terminator.
    assertThatThrownBy(
            () -> decode(Hex.bytes("02000000 0c 00 0000 1000000000000000 6161616161616161")))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("no NUL terminator");
  }

  @Test
  void rejectsTooManyParametersForSchemaZeroWithAHint() {
    List<Object> params = java.util.Collections.nCopies(256, (Object) 1L);
    assertThatThrownBy(() -> new ExecRequest(0, 1, params).encode())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too many parameters: 256")
        .hasMessageContaining("at most 255");
    assertThat(new ExecRequest(0, 1, params.subList(0, 255)).encode()).isNotEmpty();
    assertThat(new ExecRequest(0, 1, params, 1).encode()).isNotEmpty();
  }

  static Request decode(byte[] frame) throws ProtocolException {
    MessageHeader header = MessageHeader.decode(Arrays.copyOf(frame, 8));
    assertThat(header.bodyBytes()).isEqualTo(frame.length - 8);
    return Request.decode(header, Arrays.copyOfRange(frame, 8, frame.length));
  }
}
