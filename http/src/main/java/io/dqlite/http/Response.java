package io.dqlite.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP answer. The server adds {@code Content-Length} and {@code Connection: close}.
 *
 * @param status the status code
 * @param contentType the {@code Content-Type}
 * @param body the body (not sent for HEAD)
 * @param headers further headers
 */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

  public static final String TEXT = "text/plain; charset=utf-8";
  public static final String JSON = "application/json";

  public Response {
    headers = Map.copyOf(headers);
  }

  /** A plain-text answer. */
  public static Response text(int status, String body) {
    return of(status, TEXT, body);
  }

  /** An answer of {@code contentType} with a UTF-8 body. */
  public static Response of(int status, String contentType, String body) {
    return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** This answer with one more header. */
  public Response withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Response(status, contentType, body, more);
  }

  /** The body as UTF-8 text (tests, logs). */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
