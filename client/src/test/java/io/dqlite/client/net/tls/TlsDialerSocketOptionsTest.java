package io.dqlite.client.net.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The socket options hook runs on the TCP socket before it connects, and its failure is a dial's.
 */
class TlsDialerSocketOptionsTest {

  private static final TestPki.Issued CA = TestPki.authority("ca");
  private static final TestPki.Issued NODE = CA.issue("node", "EC", "dqlite");

  private static TlsDialer dialer() {
    return TlsDialer.mutual(
        List.of(NODE.certificate()), NODE.keys().getPrivate(), List.of(CA.certificate()), null);
  }

  @Test
  void optionsAreAppliedBeforeConnecting() throws Exception {
    AtomicReference<Socket> seen = new AtomicReference<>();
    AtomicReference<Boolean> connectedWhenApplied = new AtomicReference<>();
    TlsDialer dialer =
        dialer()
            .withSocketOptions(
                socket -> {
                  connectedWhenApplied.set(socket.isConnected());
                  socket.setKeepAlive(true);
                  seen.set(socket);
                });
    assertThat(dialer.serverName()).isEqualTo("dqlite");
    // A plain TCP listener never answers the handshake: the dial times out, after connecting.
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(
              () -> dialer.dial("127.0.0.1:" + listener.getLocalPort(), Duration.ofMillis(500)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("timed out after 500 ms");
    }
    assertThat(connectedWhenApplied.get()).isFalse();
    assertThat(seen.get().isClosed()).isTrue();
  }

  @Test
  void aFailingOptionFailsTheDialNamingTheAddress() throws Exception {
    TlsDialer dialer =
        dialer()
            .withSocketOptions(
                socket -> {
                  throw new IOException("keepalive refused");
                });
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String address = "127.0.0.1:" + listener.getLocalPort();
      assertThatThrownBy(() -> dialer.dial(address, Duration.ofSeconds(5)))
          .isInstanceOf(IOException.class)
          .hasMessage("dial " + address + ": keepalive refused");
    }
  }
}
