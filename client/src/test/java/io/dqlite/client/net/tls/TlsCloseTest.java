package io.dqlite.client.net.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.model.DqliteTimeoutException;
import io.dqlite.client.net.Transport;
import io.dqlite.client.protocol.ProtocolConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a TLS transport while a writer is stuck on a peer that stopped reading: an SSLSocket's
 * own close sends close_notify under the lock that writer holds, and would wait for it forever. The
 * transport closes the TCP socket underneath first, so close returns and the writer fails.
 */
@Timeout(120) // a safety net; the assertions below have their own bounds
class TlsCloseTest {

  @TempDir Path dir;

  @Test
  void closeReturnsAndFreesAWriterStuckOnAPeerThatStoppedReading() throws Exception {
    TestPki.Issued ca = TestPki.authority("ca");
    TestPki.Issued node = ca.issue("node", "EC", "dqlite");
    TestPki.Issued client = ca.issue("client", "EC", "dqlite");
    CountDownLatch release = new CountDownLatch(1);
    try (SSLServerSocket server = server(node, ca)) {
      Thread peer =
          new Thread(
              () -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                  s.startHandshake();
                  release.await(); // handshake done, then never read again
                } catch (IOException | InterruptedException e) {
                  // test over
                }
              });
      peer.setDaemon(true);
      peer.start();
      TlsDialer dialer =
          TlsDialer.fromPemFiles(
              client.writeCertificate(dir.resolve("c.pem")),
              client.writePkcs8Key(dir.resolve("k.pem")),
              ca.writeCertificate(dir.resolve("ca.pem")),
              null);
      Transport t = dialer.dial("127.0.0.1:" + server.getLocalPort(), Duration.ofSeconds(10));
      AtomicReference<Throwable> writerEnded = new AtomicReference<>();
      CountDownLatch writing = new CountDownLatch(1);
      Thread writer =
          new Thread(
              () -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                  writing.countDown();
                  for (int i = 0; i < 100_000; i++) { // 6 GiB: far beyond any socket buffer
                    t.output().write(chunk);
                  }
                  writerEnded.set(new AssertionError("the writer was never blocked"));
                } catch (Throwable e) {
                  writerEnded.set(e);
                }
              });
      writer.setDaemon(true);
      writer.start();
      assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
      // Wait until the writer is blocked inside the socket write.
      await().atMost(Duration.ofSeconds(30)).until(() -> stuckInWrite(writer));

      Thread closer = new Thread(t::close);
      closer.setDaemon(true);
      closer.start();
      closer.join(10_000);
      assertThat(closer.isAlive()).as("close() returned within 10 s").isFalse();
      await().atMost(Duration.ofSeconds(10)).until(() -> writerEnded.get() != null);
      assertThat(writerEnded.get()).isInstanceOf(IOException.class);
    } finally {
      release.countDown();
    }
  }

  /**
   * The same through a protocol connection: a request too big for the socket buffers, to a peer
   * that stopped reading, ends at its deadline as a timeout, and the connection is closed.
   */
  @Test
  void aRequestStuckWritingOverTlsTimesOut() throws Exception {
    TestPki.Issued ca = TestPki.authority("ca");
    TestPki.Issued node = ca.issue("node", "EC", "dqlite");
    CountDownLatch release = new CountDownLatch(1);
    try (SSLServerSocket server = server(node, ca)) {
      Thread peer =
          new Thread(
              () -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                  s.startHandshake();
                  s.getInputStream().readNBytes(8); // the protocol version, then nothing
                  release.await();
                } catch (IOException | InterruptedException e) {
                  // test over
                }
              });
      peer.setDaemon(true);
      peer.start();
      TlsDialer dialer =
          TlsDialer.mutual(
              java.util.List.of(node.certificate()),
              node.keys().getPrivate(),
              java.util.List.of(ca.certificate()),
              null);
      ProtocolConnection c =
          ProtocolConnection.open(
              dialer.dial("127.0.0.1:" + server.getLocalPort(), Duration.ofSeconds(10)),
              Duration.ofMillis(500));
      try {
        String sql = "SELECT '" + "x".repeat(32 * 1024 * 1024) + "'";
        long start = System.nanoTime();
        assertThatThrownBy(() -> c.execSql(0, sql, java.util.List.of()))
            .isInstanceOf(DqliteTimeoutException.class)
            .hasMessageContaining("no answer within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(c.isClosed()).isTrue();
      } finally {
        c.close();
      }
    } finally {
      release.countDown();
    }
  }

  /** Whether the thread is inside a socket write (its stack names the JDK's write). */
  private static boolean stuckInWrite(Thread t) {
    for (StackTraceElement e : t.getStackTrace()) {
      String m = e.getMethodName();
      if (m.contains("socketWrite") || m.equals("implWrite") || m.equals("write0")) {
        return true;
      }
    }
    return false;
  }

  private static SSLServerSocket server(TestPki.Issued identity, TestPki.Issued ca)
      throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "node",
        identity.keys().getPrivate(),
        "x".toCharArray(),
        new java.security.cert.X509Certificate[] {identity.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(keys, "x".toCharArray());
    KeyStore roots = KeyStore.getInstance("PKCS12");
    roots.load(null, null);
    roots.setCertificateEntry("ca", ca.certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(roots);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    SSLServerSocket server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    server.setNeedClientAuth(true);
    return server;
  }
}
