package io.dqlite.sidecar.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.net.DefaultDialer;
import io.dqlite.sidecar.tls.SimpleTls;
import io.dqlite.sidecar.tls.TestCertificates;
import io.dqlite.sidecar.tls.TlsCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TLS listener's limits in one JVM, over loopback: handshakes per source address and in all,
 * with a real TLS client getting through beside a flood, and an echo server standing for the node.
 */
class ProxyListenerTest {

  private static final String HOST = "127.0.13.1";

  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private TlsCredentials credentials;
  private ProxyListener listener;

  @BeforeEach
  void start() throws Exception {
    credentials =
        TestCertificates.authority("proxy-ca").node("dqlite").dns("dqlite").issue().credentials();
    ServerSocket node = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    cleanup.add(node);
    Thread echo = new Thread(() -> echo(node), "echo-node");
    echo.setDaemon(true);
    echo.start();
    ProxyGroup group = new ProxyGroup("test");
    cleanup.add(group);
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      port = free.getLocalPort();
    }
    listener =
        ProxyListener.start(
            HOST + ":" + port,
            SimpleTls.listen(credentials),
            DefaultDialer.INSTANCE,
            "127.0.0.1:" + node.getLocalPort(),
            group);
    cleanup.add(listener);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private static void echo(ServerSocket node) {
    while (!node.isClosed()) {
      try {
        Socket s = node.accept();
        Thread t =
            new Thread(
                () -> {
                  try (s;
                      InputStream in = s.getInputStream();
                      OutputStream out = s.getOutputStream()) {
                    in.transferTo(out);
                  } catch (IOException ignored) {
                    // The test closed it.
                  }
                });
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private Socket idle(String source) throws IOException {
    Socket s = new Socket();
    cleanup.add(s);
    s.bind(new InetSocketAddress(source, 0));
    s.connect(new InetSocketAddress(HOST, listener.port()), 5_000);
    return s;
  }

  /**
   * Whether the listener closed a new connection from {@code source} within 5 s (end of stream or
   * reset; the reset can come before the connect returns).
   */
  private boolean refused(String source) throws IOException {
    Socket s;
    try {
      s = idle(source);
    } catch (SocketException e) {
      return true;
    }
    s.setSoTimeout(5_000);
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** A real mutual-TLS client, from {@code source}, through the proxy to the echo node. */
  private String echoThroughTls(String source, String text) throws IOException {
    Socket raw = idle(source);
    SSLSocket tls = SimpleTls.dial(credentials).wrap(raw);
    tls.setSoTimeout(10_000);
    tls.startHandshake();
    tls.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    tls.getOutputStream().flush();
    String back =
        new String(tls.getInputStream().readNBytes(text.length()), StandardCharsets.UTF_8);
    tls.close();
    return back;
  }

  @Test
  void oneSourceGetsHalfTheHandshakesAndAFullListenerRefusesEveryone() throws Exception {
    List<Socket> first = new ArrayList<>();
    for (int i = 0; i < ProxyLimits.MAX_HANDSHAKES_PER_SOURCE; i++) {
      first.add(idle("127.0.13.10"));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> listener.handshakes() == ProxyLimits.MAX_HANDSHAKES_PER_SOURCE);
    assertThat(refused("127.0.13.10")).as("over the source's limit").isTrue();

    // Another source still gets in, and its bytes reach the node and come back.
    assertThat(echoThroughTls("127.0.13.11", "ping")).isEqualTo("ping");

    for (int i = 0; i < ProxyLimits.MAX_HANDSHAKES_PER_SOURCE; i++) {
      idle("127.0.13.12");
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> listener.handshakes() == ProxyLimits.MAX_HANDSHAKES);
    assertThat(refused("127.0.13.13")).as("over the total limit").isTrue();

    // Slots come back when handshakes end.
    for (Socket s : first) {
      s.close();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> listener.handshakes() == ProxyLimits.MAX_HANDSHAKES_PER_SOURCE);
    assertThat(echoThroughTls("127.0.13.13", "pong")).isEqualTo("pong");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> listener.connections() == ProxyLimits.MAX_HANDSHAKES_PER_SOURCE);
  }
}
