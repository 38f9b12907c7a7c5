package io.dqlite.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestHeadTest {

  private static RequestHead.Parse parse(String raw) {
    byte[] b = raw.replace("|", "\r\n").replace("~", "\n").getBytes(StandardCharsets.ISO_8859_1);
    return RequestHead.parse(b, b.length, 256);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = ';',
      value = {
        // raw (| is CRLF, ~ is LF); expected: method path query length, a status, or "more"
        "GET /livez HTTP/1.1|Host: x||; GET /livez  0",
        "GET /livez HTTP/1.1~~; GET /livez  0",
        "|GET /readyz HTTP/1.0||; GET /readyz  0",
        "POST /handover?node=0x2a HTTP/1.1|Content-Length: 3||abc; POST /handover node=0x2a 3",
        "GET http://h:1/metrics?x HTTP/1.1||; GET /metrics x 0",
        "GET /li; more",
        "GET /livez HTTP/1.1|Host: x|; more",
        "; more",
        "GET /livez HTTP/2.0||; 505",
        "GET /livez||; 400",
        "GET  /livez HTTP/1.1||; 400",
        "G(T /livez HTTP/1.1||; 400",
        "GET livez HTTP/1.1||; 400",
        "GET /x HTTP/1.1|Bad Header: 1||; 400",
        "GET /x HTTP/1.1|NoColon||; 400",
        "GET /x HTTP/1.1| folded: 1||; 400",
        "POST /x HTTP/1.1|Transfer-Encoding: chunked||; 501",
        "POST /x HTTP/1.1|Content-Length: -1||; 400",
        "POST /x HTTP/1.1|Content-Length: 1|Content-Length: 2||; 400",
        "POST /x HTTP/1.1|Content-Length: 99999999999999999999||; 400",
      })
  void parses(String raw, String expected) {
    RequestHead.Parse p = parse(raw == null ? "" : raw);
    String got;
    if (p instanceof RequestHead.Complete c) {
      got =
          c.head().method()
              + " "
              + c.head().path()
              + " "
              + c.head().query()
              + " "
              + c.head().contentLength();
    } else if (p instanceof RequestHead.Refused r) {
      got = String.valueOf(r.status());
    } else {
      got = "more";
    }
    assertThat(got).isEqualTo(expected.strip());
  }

  @ParameterizedTest
  @CsvSource({"255", "256", "4000"})
  void aHeadThatDoesNotEndWithinTheLimitIsRefused(int length) {
    byte[] b = ("GET /" + "a".repeat(length) + " HTTP/1.1").getBytes(StandardCharsets.US_ASCII);
    RequestHead.Parse p = RequestHead.parse(b, Math.min(b.length, 256), 256);
    assertThat(p)
        .isInstanceOf(b.length >= 256 ? RequestHead.Refused.class : RequestHead.Incomplete.class);
  }
}
