package io.dqlite.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The request line and headers of an HTTP/1.x request, parsed from the bytes received so far; pure.
 *
 * @param method the method
 * @param path the target's path
 * @param query the raw query, or empty
 * @param headers lower-case names
 * @param length how many bytes the head took, its blank line included (the body starts there)
 * @param contentLength the body's length; 0 without {@code Content-Length}
 */
record RequestHead(
    String method,
    String path,
    String query,
    Map<String, String> headers,
    int length,
    long contentLength) {

  /** What the bytes so far give: a head, a need for more bytes, or a refusal. */
  sealed interface Parse permits Complete, Incomplete, Refused {}

  record Complete(RequestHead head) implements Parse {}

  record Incomplete() implements Parse {}

  /** The request cannot be served: answer {@code status} with {@code reason} and close. */
  record Refused(int status, String reason) implements Parse {}

  private static final Incomplete INCOMPLETE = new Incomplete();

  /**
   * Parses {@code buf[0, len)}. {@code maxHead}: a head that has not ended within this many bytes
   * is refused (431).
   */
  static Parse parse(byte[] buf, int len, int maxHead) {
    int end = headEnd(buf, Math.min(len, maxHead));
    if (end < 0) {
      return len >= maxHead
          ? new Refused(431, "request head larger than " + maxHead + " bytes")
          : INCOMPLETE;
    }
    // ISO-8859-1: one char per byte, so no header can smuggle a multi-byte sequence past checks.
    String text = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n", -1);
    int first = 0;
    while (first < lines.length && lines[first].isEmpty()) {
      first++; // RFC 9112 2.2: a server should ignore empty lines before the request line.
    }
    if (first == lines.length) {
      return new Refused(400, "empty request");
    }
    String[] parts = lines[first].split(" ", -1);
    if (parts.length != 3 || parts[0].isEmpty() || !isToken(parts[0])) {
      return new Refused(400, "malformed request line");
    }
    if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
      return new Refused(505, "only HTTP/1.0 and HTTP/1.1 are served");
    }
    String target = parts[1];
    if (target.startsWith("http://") || target.startsWith("https://")) {
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    if (!target.startsWith("/")) {
      return new Refused(400, "request target must be a path");
    }
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = first + 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue; // the blank line(s) that end the head
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        return new Refused(400, "malformed header line");
      }
      String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      String before = headers.put(name, value);
      if (name.equals("content-length") && before != null && !before.equals(value)) {
        return new Refused(400, "conflicting Content-Length headers");
      }
    }
    if (headers.containsKey("transfer-encoding")) {
      return new Refused(501, "chunked request bodies are not served: send Content-Length");
    }
    long contentLength = 0;
    String cl = headers.get("content-length");
    if (cl != null) {
      if (!cl.matches("[0-9]{1,18}")) {
        return new Refused(400, "malformed Content-Length");
      }
      contentLength = Long.parseLong(cl);
    }
    return new Complete(new RequestHead(parts[0], path, query, headers, end, contentLength));
  }

  /** The index just past the blank line ending the head (CRLF CRLF or LF LF), or -1. */
  static int headEnd(byte[] buf, int len) {
    for (int i = 0; i < len; i++) {
      if (buf[i] != '\n') {
        continue;
      }
      if (i + 1 < len && buf[i + 1] == '\n') {
        return i + 2;
      }
      if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
        return i + 3;
      }
    }
    return -1;
  }

  private static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return !s.isEmpty();
  }
}
