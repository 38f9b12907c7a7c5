package io.dqlite.sidecar.app;

import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.Transport;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;

/**
 * Connections the application makes and accepts itself, e.g. dqlite traffic tunnelled through the
 * application's own HTTPS server: go-dqlite's {@code WithExternalConn(dialFunc, acceptCh)}.
 *
 * <p>The App dials other nodes (raft, its clients, its JDBC driver) with {@code dialer}, and takes
 * the connections the application accepted on the App's behalf from {@code accepted}: to each it
 * first writes {@code HTTP/1.1 101 Switching Protocols\r\nUpgrade: dqlite\r\n\r\n} (so {@code
 * dialer} must read that response when it upgrades an HTTP connection), then proxies it to the
 * node's private socket.
 *
 * @param dialer reaches another node's address
 * @param accepted connections for this node; the App owns each one it takes
 */
public record ExternalConnection(Dialer dialer, BlockingQueue<Transport> accepted) {

  public ExternalConnection {
    Objects.requireNonNull(dialer, "dialer");
    Objects.requireNonNull(accepted, "accepted");
  }
}
