package io.dqlite.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JNA abstract-socket listener and dialer against each other. */
@Timeout(60) // a safety net against hangs, not a speed assertion
class AbstractUnixSocketTest {

  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws Exception {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
  }

  private static String uniqueName() {
    return "dqlite-java-test-" + UUID.randomUUID();
  }

  @Test
  void dialerReachesListenerBothWaysWithLargePayloads() throws Exception {
    byte[] payload = new byte[5 * 1024 * 1024 + 3];
    new Random(42).nextBytes(payload);
    try (AbstractUnixServerSocket server = AbstractUnixServerSocket.bind(uniqueName(), 16)) {
      Future<byte[]> echoed =
          executor.submit(
              () -> {
                try (AbstractUnixSocket peer = server.accept()) {
                  byte[] got = new DataInputStream(peer.input()).readNBytes(payload.length);
                  peer.output().write(got);
                  peer.shutdownOutput();
                  return got;
                }
              });
      try (Transport client =
          DefaultDialer.INSTANCE.dial(server.address(), Duration.ofSeconds(5))) {
        assertThat(client.address()).isEqualTo(server.address());
        Future<?> writer =
            executor.submit(
                () -> {
                  client.output().write(payload);
                  return null;
                });
        byte[] back = client.input().readAllBytes();
        writer.get(30, TimeUnit.SECONDS);
        assertThat(back).isEqualTo(payload);
      }
      assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo(payload);
    }
  }

  @Test
  void emptyNameAutobindsAUniqueName() throws Exception {
    try (AbstractUnixServerSocket a = AbstractUnixServerSocket.bind("", 1);
        AbstractUnixServerSocket b = AbstractUnixServerSocket.bind("", 1)) {
      assertThat(a.name()).isNotEmpty().isNotEqualTo(b.name());
      try (AbstractUnixSocket c = AbstractUnixSocket.connect(a.name(), Duration.ofSeconds(5));
          AbstractUnixSocket s = a.accept()) {
        c.output().write(7);
        assertThat(s.input().read()).isEqualTo(7);
      }
    }
  }

  @Test
  void bindingATakenNameFails() throws Exception {
    String name = uniqueName();
    try (AbstractUnixServerSocket a = AbstractUnixServerSocket.bind(name, 1)) {
      assertThatThrownBy(() -> AbstractUnixServerSocket.bind(name, 1))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("@" + name)
          .hasMessageContaining("in use");
    }
  }

  @Test
  void dialingANameNobodyListensOnIsRefused() {
    String name = uniqueName();
    assertThatThrownBy(() -> DefaultDialer.INSTANCE.dial("@" + name, Duration.ofSeconds(5)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("@" + name)
        .hasMessageContaining("refused");
  }

  @Test
  void dialTimesOutWhenTheListenerBacklogIsFull() throws Exception {
    try (AbstractUnixServerSocket server = AbstractUnixServerSocket.bind(uniqueName(), 0)) {
      java.util.List<Transport> connected = new java.util.ArrayList<>();
      try {
        IOException timeout = null;
        // Nobody accepts: after the backlog fills up, connecting blocks until the dial timeout.
        for (int i = 0; i < 10 && timeout == null; i++) {
          try {
            connected.add(DefaultDialer.INSTANCE.dial(server.address(), Duration.ofMillis(200)));
          } catch (IOException e) {
            timeout = e;
          }
        }
        assertThat(timeout)
            .isInstanceOf(java.net.SocketTimeoutException.class)
            .hasMessageContaining(server.address());
      } finally {
        connected.forEach(Transport::close);
      }
    }
  }

  @Test
  void closingTheListenerWakesABlockedAccept() throws Exception {
    AbstractUnixServerSocket server = AbstractUnixServerSocket.bind(uniqueName(), 1);
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                server.accept().close();
                failure.complete(null);
              } catch (Throwable e) {
                failure.complete(e);
              }
            });
    t.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> t.getState() != Thread.State.NEW);
    server.close();
    assertThat(failure.get(30, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    server.close(); // idempotent
    assertThat(server.isClosed()).isTrue();
  }

  @Test
  void closingASocketWakesABlockedReadAndLaterCallsFail() throws Exception {
    try (AbstractUnixServerSocket server = AbstractUnixServerSocket.bind(uniqueName(), 1)) {
      AbstractUnixSocket client = AbstractUnixSocket.connect(server.name(), Duration.ofSeconds(5));
      try (AbstractUnixSocket peer = server.accept()) {
        InputStream in = client.input();
        Future<Integer> read = executor.submit(() -> in.read());
        // No need to know whether the read is already blocked: both orders must end the read.
        client.close();
        // Either the blocked recv sees the shutdown as end of stream, or it fails as closed.
        try {
          assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(-1);
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> client.output().write(1))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("closed");
        assertThat(peer.input().read()).isEqualTo(-1);
      }
    }
  }
}
