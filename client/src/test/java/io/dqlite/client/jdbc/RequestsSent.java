package io.dqlite.client.jdbc;

import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.RequestType;
import java.util.EnumMap;
import java.util.Map;

/**
 * Requests this JVM sent between two points of a test (the test classes of a JVM run one by one).
 */
final class RequestsSent {

  private RequestsSent() {}

  static Map<RequestType, Long> now() {
    return ProtocolConnection.requestsSent();
  }

  /** The requests sent since {@code before}, by type; types not sent are left out. */
  static Map<RequestType, Long> since(Map<RequestType, Long> before) {
    Map<RequestType, Long> sent = new EnumMap<>(RequestType.class);
    ProtocolConnection.requestsSent()
        .forEach(
            (type, n) -> {
              long d = n - before.getOrDefault(type, 0L);
              if (d > 0) {
                sent.put(type, d);
              }
            });
    return sent;
  }
}
