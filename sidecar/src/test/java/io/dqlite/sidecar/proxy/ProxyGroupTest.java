package io.dqlite.sidecar.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.net.SocketTransport;
import io.dqlite.client.net.Transport;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The byte proxy over loopback TCP pairs. */
class ProxyGroupTest {

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  /** Two connected sockets: the one given to the proxy and its peer, the test's end. */
  private record Pair(Transport proxied, Socket peer) {}

  private Pair pair() throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Socket peer = new Socket(server.getInetAddress(), server.getLocalPort());
      Socket accepted = server.accept();
      cleanup.add(peer);
      cleanup.add(accepted);
      peer.setSoTimeout(10_000);
      return new Pair(new SocketTransport(accepted, "accepted"), peer);
    }
  }

  private static String read(InputStream in, int n) throws Exception {
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  @Test
  void copiesBothWaysAndEndsBothWhenOneSideCloses() throws Exception {
    ProxyGroup group = new ProxyGroup("test");
    cleanup.add(group);
    Pair a = pair();
    Pair b = pair();
    group.start(a.proxied(), b.proxied());
    assertThat(group.size()).isEqualTo(1);

    a.peer().getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
    assertThat(read(b.peer().getInputStream(), 4)).isEqualTo("ping");
    b.peer().getOutputStream().write("pong".getBytes(StandardCharsets.UTF_8));
    assertThat(read(a.peer().getInputStream(), 4)).isEqualTo("pong");

    a.peer().close();
    assertThat(b.peer().getInputStream().read()).isEqualTo(-1);
    await().atMost(Duration.ofSeconds(10)).until(() -> group.size() == 0);
  }

  @Test
  void closingTheGroupEndsEveryPairAndRefusesNewOnes() throws Exception {
    ProxyGroup group = new ProxyGroup("test");
    Pair a = pair();
    Pair b = pair();
    group.start(a.proxied(), b.proxied());
    group.close();
    group.close();
    assertThat(a.peer().getInputStream().read()).isEqualTo(-1);
    assertThat(b.peer().getInputStream().read()).isEqualTo(-1);
    assertThat(group.isClosed()).isTrue();

    Pair c = pair();
    Pair d = pair();
    group.start(c.proxied(), d.proxied());
    assertThat(c.peer().getInputStream().read()).isEqualTo(-1);
    assertThat(group.size()).isZero();
  }

  @Test
  void runsTheCloseCallbackOnceWhenAPairEnds() throws Exception {
    ProxyGroup group = new ProxyGroup("test");
    cleanup.add(group);
    java.util.concurrent.atomic.AtomicInteger ended =
        new java.util.concurrent.atomic.AtomicInteger();
    Pair a = pair();
    Pair b = pair();
    group.start(a.proxied(), b.proxied(), ended::incrementAndGet);
    assertThat(ended.get()).isZero();
    a.peer().close();
    await().atMost(Duration.ofSeconds(10)).until(() -> ended.get() == 1);
    group.close();
    assertThat(ended.get()).isEqualTo(1);

    Pair c = pair();
    Pair d = pair();
    group.start(c.proxied(), d.proxied(), ended::incrementAndGet);
    assertThat(ended.get()).as("also for a pair the closed group refuses").isEqualTo(2);
  }
}
