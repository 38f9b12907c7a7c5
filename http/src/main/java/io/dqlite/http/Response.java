package io.dqlite.http;

import java.nio.ByteBuffer;
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

  /** The answer as sent: status line, headers, {@code Connection: close}, and the body. */
  ByteBuffer encode(boolean head) {
    StringBuilder sb = new StringBuilder(160);
    sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    sb.append("Content-Type: ").append(contentType).append("\r\n");
    sb.append("Content-Length: ").append(body.length).append("\r\n");
    sb.append("Connection: close\r\n");
    headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    sb.append("\r\n");
    byte[] top = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer out = ByteBuffer.allocate(top.length + (head ? 0 : body.length));
    out.put(top);
    if (!head) {
      out.put(body);
    }
    return out.flip();
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status " + status;
    };
  }

  /** The body as UTF-8 text (tests, logs). */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
