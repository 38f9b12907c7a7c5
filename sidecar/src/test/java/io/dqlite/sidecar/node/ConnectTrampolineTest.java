package io.dqlite.sidecar.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.dqlite.client.net.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The callback as libdqlite calls it: C strings in, an fd out, never an exception. */
class ConnectTrampolineTest {

  private ConnectTrampoline trampoline;

  @AfterEach
  void shutdown() {
    if (trampoline != null) {
      trampoline.shutdown();
    }
  }

  private static Memory cString(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    Memory memory = new Memory(bytes.length + 1L);
    memory.write(0, bytes, 0, bytes.length);
    memory.setByte(bytes.length, (byte) 0);
    return memory;
  }

  @Test
  void successWritesTheFdAndReturnsZero() throws Exception {
    NativeSockets.SocketPair pair = NativeSockets.socketPair();
    AtomicReference<String> seen = new AtomicReference<>();
    trampoline =
        new ConnectTrampoline(
            "t1",
            (address, timeout) -> {
              seen.set(address);
              assertThat(timeout).isEqualTo(ConnectTrampoline.TIMEOUT);
              return pair.first();
            });
    Memory fd = new Memory(4);
    fd.setInt(0, -1);

    assertThat(trampoline.invoke(null, cString("10.0.0.2:9000"), fd)).isZero();
    assertThat(fd.getInt(0)).isEqualTo(pair.first());
    assertThat(seen.get()).isEqualTo("10.0.0.2:9000");
    assertThat(trampoline.calls()).isEqualTo(1);
    NativeSockets.close(pair.first());
    NativeSockets.close(pair.second());
  }

  @Test
  void connectorFailuresAndBadFdsBecomeRaftNoConnection() {
    AtomicInteger attempt = new AtomicInteger();
    trampoline =
        new ConnectTrampoline(
            "t2",
            (address, timeout) -> {
              switch (attempt.incrementAndGet()) {
                case 1:
                  throw new IOException("unreachable");
                case 2:
                  throw new IllegalStateException("bug in a connector");
                default:
                  return -1;
              }
            });
    Memory fd = new Memory(4);
    for (int i = 0; i < 3; i++) {
      fd.setInt(0, 1234);
      assertThat(trampoline.invoke(null, cString("10.0.0.2:9000"), fd))
          .isEqualTo(ConnectTrampoline.RAFT_NOCONNECTION);
      assertThat(fd.getInt(0)).as("fd untouched on failure").isEqualTo(1234);
    }
  }

  @Test
  void aConnectorPastTheBoundIsAbandonedAndItsLateFdClosed() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    NativeSockets.SocketPair pair = NativeSockets.socketPair();
    trampoline =
        new ConnectTrampoline(
            "t3",
            (address, timeout) -> {
              try {
                release.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return pair.first();
            });
    Memory fd = new Memory(4);

    assertThat(trampoline.invoke(null, cString("10.0.0.3:9000"), fd))
        .isEqualTo(ConnectTrampoline.RAFT_NOCONNECTION);

    release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> !isOpen(pair.first()));
    NativeSockets.close(pair.second());
  }

  private static boolean isOpen(int fd) {
    try {
      LibC.get().fcntl(fd, LibC.F_GETFL, 0);
      return true;
    } catch (LastErrorException e) {
      return false;
    }
  }
}
