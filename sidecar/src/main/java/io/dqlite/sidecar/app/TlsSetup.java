package io.dqlite.sidecar.app;

import io.dqlite.sidecar.tls.TlsConfig;
import java.util.Objects;

/**
 * The App's TLS: go-dqlite's {@code WithTLS(listen, dial)}. Build both from the same credentials
 * with {@code SimpleTls.listen} and {@code SimpleTls.dial}.
 *
 * @param listen server side, for the public address: peers (nodes and clients) must present a
 *     certificate from a trusted authority
 * @param dial client side, for raft's outgoing connections, the App's clients and its JDBC
 *     driver
 */
public record TlsSetup(TlsConfig listen, TlsConfig dial) {

  public TlsSetup {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(dial, "dial");
    if (listen.clientMode()) {
      throw new IllegalArgumentException(
          "TLS listen configuration is a client (dial) one: build it with SimpleTls.listen");
    }
    if (!dial.clientMode()) {
      throw new IllegalArgumentException(
          "TLS dial configuration is a server (listen) one: build it with SimpleTls.dial");
    }
  }
}
