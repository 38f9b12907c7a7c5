package io.dqlite.sidecar.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.sidecar.node.NativeSockets.HostPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** libc sockets on loopback; no libdqlite needed. */
class NativeSocketsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void parsesHostPortForms() throws IOException {
    assertThat(HostPort.parse("127.0.3.1:9001")).isEqualTo(new HostPort("127.0.3.1", 9001));
    assertThat(HostPort.parse("[::1]:9001")).isEqualTo(new HostPort("::1", 9001));
    assertThat(HostPort.parse("dqlite-0.dqlite.ns.svc:9000"))
        .isEqualTo(new HostPort("dqlite-0.dqlite.ns.svc", 9000));
  }

  @Test
  void rejectsMalformedAddressesNamingThem() {
    assertThatThrownBy(() -> HostPort.parse("no-port")).hasMessageContaining("no-port");
    assertThatThrownBy(() -> HostPort.parse("::1:9000")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> HostPort.parse("h:http")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> HostPort.parse("h:70000")).hasMessageContaining("out of range");
  }

  @Test
  void tcpConnectGivesABlockingFdThatCarriesBytesBothWays() throws Exception {
    roundTrip("127.0.3.1");
  }

  @Test
  void tcpConnectOverIpv6Loopback() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback here");
    roundTrip("::1");
  }

  private static void roundTrip(String host) throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getLocalPort();
      try (FdChannel channel = new FdChannel(NativeSockets.connect(address, TIMEOUT));
          Socket peer = server.accept()) {
        channel.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
        InputStream in = peer.getInputStream();
        assertThat(new String(in.readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("ping");

        OutputStream out = peer.getOutputStream();
        out.write("pong".getBytes(StandardCharsets.UTF_8));
        out.flush();
        ByteBuffer reply = ByteBuffer.allocate(4);
        for (int i = 0; i < 4 && reply.hasRemaining(); i++) {
          assertThat(channel.read(reply)).isPositive();
        }
        assertThat(new String(reply.array(), StandardCharsets.UTF_8)).isEqualTo("pong");

        channel.shutdownOutput();
        assertThat(in.read()).as("peer sees end of stream").isEqualTo(-1);
      }
    }
  }

  /** A raft connection stuck in retransmission backoff after a partition must die, not wait. */
  @Test
  void tcpConnectSetsAUserTimeout() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.3.1"))) {
      int fd = NativeSockets.connect("127.0.3.1:" + server.getLocalPort(), TIMEOUT);
      try (Socket peer = server.accept()) {
        int[] value = {0};
        int[] length = {4};
        io.dqlite.client.net.LibC.get()
            .getsockopt(fd, io.dqlite.client.net.LibC.IPPROTO_TCP, 18, value, length);
        assertThat(value[0]).isEqualTo(NativeSockets.USER_TIMEOUT_MILLIS).isEqualTo(10_000);
      } finally {
        NativeSockets.close(fd);
      }
    }
  }

  @Test
  void refusedConnectionIsAnIoExceptionNamingTheAddress() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.3.1"))) {
      port = probe.getLocalPort();
    }
    String address = "127.0.3.1:" + port;
    assertThatThrownBy(() -> NativeSockets.connect(address, TIMEOUT))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("connect " + address)
        .hasMessageContaining("refused");
  }

  @Test
  void unknownHostAndMissingAbstractSocketAreIoExceptions() {
    assertThatThrownBy(() -> NativeSockets.connect("no-such-host.invalid:9000", TIMEOUT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot resolve no-such-host.invalid");
    String name = "@dqlite-java-test-absent-" + System.nanoTime();
    assertThatThrownBy(() -> NativeSockets.connect(name, TIMEOUT))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("connect " + name);
  }

  @Test
  void socketPairEndsTalkAndCloseWakesABlockedReaderWithEndOfStream() throws Exception {
    NativeSockets.SocketPair pair = NativeSockets.socketPair();
    FdChannel a = new FdChannel(pair.first());
    FdChannel b = new FdChannel(pair.second());
    try {
      a.write(ByteBuffer.wrap(new byte[] {42}));
      ByteBuffer one = ByteBuffer.allocate(1);
      assertThat(b.read(one)).isEqualTo(1);
      assertThat(one.get(0)).isEqualTo((byte) 42);

      java.util.concurrent.CompletableFuture<Integer> blocked =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return b.read(ByteBuffer.allocate(1));
                } catch (IOException e) {
                  return -2;
                }
              });
      a.close();
      assertThat(blocked.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(-1);
    } finally {
      a.close();
      b.close();
      b.close();
    }
    assertThat(b.isOpen()).isFalse();
    assertThatThrownBy(() -> b.read(ByteBuffer.allocate(1)))
        .isInstanceOf(java.nio.channels.ClosedChannelException.class);
  }

  private static boolean ipv6LoopbackWorks() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
