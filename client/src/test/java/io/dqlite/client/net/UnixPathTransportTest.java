package io.dqlite.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Filesystem unix sockets through the JDK, in both address forms. */
@Timeout(60) // a safety net against hangs, not a speed assertion
class UnixPathTransportTest {

  @TempDir Path dir;

  @Test
  void dialsBothAddressFormsAndCloseUnblocksARead() throws Exception {
    Path socket = dir.resolve("node.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      for (String address : new String[] {socket.toString(), "unix:" + socket}) {
        try (Transport t = DefaultDialer.INSTANCE.dial(address, Duration.ofSeconds(5));
            SocketChannel peer = server.accept()) {
          assertThat(t.address()).isEqualTo(address);
          t.output().write(new byte[] {1, 2, 3});
          ByteBuffer got = ByteBuffer.allocate(3);
          while (got.hasRemaining()) {
            peer.read(got);
          }
          assertThat(got.array()).containsExactly(1, 2, 3);
          peer.write(ByteBuffer.wrap(new byte[] {9}));
          assertThat(t.input().read()).isEqualTo(9);

          CompletableFuture<Object> blocked =
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return t.input().read();
                    } catch (IOException e) {
                      return e;
                    }
                  });
          t.close();
          Object outcome = blocked.get(30, TimeUnit.SECONDS);
          assertThat(outcome)
              .satisfiesAnyOf(
                  o -> assertThat(o).isInstanceOf(IOException.class),
                  o -> assertThat(o).isEqualTo(-1));
        }
      }
    }
  }

  @Test
  void missingSocketFileNamesTheAddress() {
    String address = dir.resolve("absent.sock").toString();
    assertThatThrownBy(() -> DefaultDialer.INSTANCE.dial(address, Duration.ofSeconds(1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(address);
  }
}
