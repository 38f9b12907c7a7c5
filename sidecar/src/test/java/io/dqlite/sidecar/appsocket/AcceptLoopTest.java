package io.dqlite.sidecar.appsocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.net.Transport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The accept loop over a listener that fails as a real one does (EMFILE, EBADF, an Error). */
class AcceptLoopTest {

  /** Answers accept number n (from 0) with what {@code script} says: throw, or a connection. */
  private static final class ScriptedListener implements SocketListener {
    final AtomicInteger accepts = new AtomicInteger();
    final CountDownLatch closed = new CountDownLatch(1);
    final IntFunction<Object> script;

    ScriptedListener(IntFunction<Object> script) {
      this.script = script;
    }

    @Override
    public Transport accept() throws IOException {
      Object next = script.apply(accepts.getAndIncrement());
      if (next instanceof IOException e) {
        throw e;
      }
      if (next instanceof Error e) {
        throw e;
      }
      if (next == null) {
        try {
          closed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IOException("@test: socket closed");
      }
      return new EmptyTransport();
    }

    @Override
    public String address() {
      return "@test";
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  /** A client that connects and leaves at once. */
  private static final class EmptyTransport implements Transport {
    @Override
    public InputStream input() {
      return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public OutputStream output() {
      return new ByteArrayOutputStream();
    }

    @Override
    public void shutdownOutput() {}

    @Override
    public String address() {
      return "@test";
    }

    @Override
    public void close() {}
  }

  private static AppSocket serve(SocketListener l, Duration unhealthyAfter) {
    UpstreamConnector none =
        new UpstreamConnector(
            InMemoryNodeStore.of(),
            ConnectorConfig.defaults(),
            Duration.ofMillis(100),
            Duration.ofMillis(100));
    return AppSocket.serve(l, none, AppSocket.Limits.defaults(), new AcceptBackoff(unhealthyAfter));
  }

  @Test
  void runningOutOfDescriptorsIsWaitedOutAndLivenessHolds() {
    // Five EMFILEs, a connection, then quiet.
    ScriptedListener l =
        new ScriptedListener(
            n ->
                n < 5
                    ? new IOException("@test: accept failed: [24] Too many open files")
                    : n == 5 ? "connection" : null);
    try (AppSocket s = serve(l, Duration.ofSeconds(60))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> l.accepts.get() == 7);
      assertThat(s.problem()).isEmpty();
    }
  }

  @Test
  void anEpisodeLongerThanTheBoundFailsLivenessUntilAcceptWorksAgain() {
    AtomicInteger failUntil = new AtomicInteger(Integer.MAX_VALUE);
    ScriptedListener l =
        new ScriptedListener(
            n ->
                n < failUntil.get()
                    ? new IOException(
                        "@test: accept failed: [23] Too many open" + " files in system")
                    : n == failUntil.get() ? "connection" : null);
    try (AppSocket s = serve(l, Duration.ofMillis(300))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> s.problem().isPresent());
      assertThat(s.problem().get()).contains("@test").contains("Too many open files in system");
      failUntil.set(l.accepts.get() + 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> s.problem().isEmpty());
    }
  }

  @Test
  void aPermanentErrorOrADeadAcceptThreadFailsLiveness() {
    ScriptedListener bad = new ScriptedListener(n -> new IOException("[9] Bad file descriptor"));
    try (AppSocket s = serve(bad, Duration.ofSeconds(60))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> s.problem().isPresent());
      assertThat(s.problem().get()).contains("accept failed: [9] Bad file descriptor");
    }
    ScriptedListener dies = new ScriptedListener(n -> new StackOverflowError("test"));
    try (AppSocket s = serve(dies, Duration.ofSeconds(60))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> s.problem().isPresent());
      assertThat(s.problem().get())
          .contains("the accept thread died")
          .contains("StackOverflowError");
    }
  }
}
