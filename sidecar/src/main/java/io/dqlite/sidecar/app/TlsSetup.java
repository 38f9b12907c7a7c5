package io.dqlite.sidecar.app;

import io.dqlite.sidecar.tls.SimpleTls;
import io.dqlite.sidecar.tls.TlsConfig;
import io.dqlite.sidecar.tls.TlsCredentials;
import java.util.Objects;

/**
 * The App's TLS: go-dqlite's {@code WithTLS(listen, dial)}. {@link #simple} builds both from one
 * set of credentials, as go-dqlite's {@code SimpleTLSConfig}; {@code SimpleTls.listen} and {@code
 * SimpleTls.dial} build each half.
 *
 * @param listen server side, for the public address: peers (nodes and clients) must present a
 *     certificate from a trusted authority
 * @param dial client side, for raft's outgoing connections, the App's clients and its JDBC driver
 */
public record TlsSetup(TlsConfig listen, TlsConfig dial) {

  /**
   * go-dqlite's {@code SimpleTLSConfig(cert, pool)}: the listen-and-dial pair from one certificate
   * and its authorities, {@link SimpleTls#listen} and {@link SimpleTls#dial} (servers must carry
   * the first DNS name of {@code credentials}' certificate).
   *
   * @throws IllegalArgumentException when the certificate has no DNS name (go-dqlite panics)
   */
  public static TlsSetup simple(TlsCredentials credentials) {
    return new TlsSetup(SimpleTls.listen(credentials), SimpleTls.dial(credentials));
  }

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
