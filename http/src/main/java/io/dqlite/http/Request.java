package io.dqlite.http;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One parsed HTTP request.
 *
 * @param method the method as sent ({@code GET}, {@code POST}, ...)
 * @param path the target's path, not decoded (routes match it exactly)
 * @param query the raw query string without {@code ?}, or empty
 * @param headers header names in lower case; a repeated header keeps its last value
 * @param body the body ({@code Content-Length} bytes; chunked bodies are refused)
 * @param remote the client's address, for logs
 */
public record Request(
    String method,
    String path,
    String query,
    Map<String, String> headers,
    byte[] body,
    InetSocketAddress remote) {

  public Request {
    headers = Map.copyOf(headers);
    query = query == null ? "" : query;
  }

  /** A header's value, by case-insensitive name. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The first value of a query parameter, percent-decoded; empty when absent or malformed. */
  public Optional<String> queryParameter(String name) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (decode(key).map(name::equals).orElse(false)) {
        return eq < 0 ? Optional.of("") : decode(pair.substring(eq + 1));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> decode(String s) {
    try {
      return Optional.of(URLDecoder.decode(s, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
