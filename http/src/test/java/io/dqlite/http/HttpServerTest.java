package io.dqlite.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.http.testing.StalledClients;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class HttpServerTest {

  /**
   * A hang detector, not a speed check: a server that let stalled clients hold it would answer a
   * probe only after their 5 s read or write deadline (the limits below). It was 1 s, and a probe
   * took 1.02 s on a loaded 2-core machine.
   */
  private static final Duration PROBE_BOUND = Duration.ofSeconds(3);

  private static final Logger log = LoggerFactory.getLogger(HttpServerTest.class);

  private static final Duration READ = Duration.ofSeconds(1);
  private static final Duration WRITE = Duration.ofSeconds(1);
  private static final byte[] BIG = new byte[16 * 1024 * 1024];

  private final CountDownLatch slowGate = new CountDownLatch(1);
  private final AtomicInteger slowCalls = new AtomicInteger();
  private HttpServer server;

  private HttpServer start(Limits limits) throws IOException {
    server =
        HttpServer.builder("test")
            .limits(limits)
            .fast("GET", "/livez", r -> Response.text(200, "ok\n"))
            .fast("GET", "/big", r -> new Response(200, Response.TEXT, BIG, java.util.Map.of()))
            .slow(
                "POST",
                "/echo",
                r ->
                    Response.text(
                        200,
                        r.queryParameter("node").orElse("-")
                            + " "
                            + new String(r.body(), StandardCharsets.UTF_8)))
            .slow(
                "GET",
                "/slow",
                r -> r.header("X-Pass").isPresent() ? null : Response.text(401, "no pass\n"),
                r -> {
                  slowCalls.incrementAndGet();
                  slowGate.await(30, TimeUnit.SECONDS);
                  return Response.text(200, "slow\n");
                })
            .slowPool(1, 1, "busy\n")
            .start("127.0.9.1", 0);
    return server;
  }

  private HttpServer start() throws IOException {
    return start(new Limits(64, 8192, 1024, READ, WRITE));
  }

  @AfterEach
  void stop() {
    slowGate.countDown();
    if (server != null) {
      server.close();
    }
  }

  /** Sends raw bytes on a new connection and reads the whole answer (5 s per read). */
  private String raw(String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(server.address(), 5_000);
      s.setSoTimeout(5_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void routesMethodsAndBodies() throws Exception {
    start();
    assertThat(raw("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("Content-Length: 3\r\n", "Connection: close\r\n")
        .endsWith("\r\n\r\nok\n");
    assertThat(raw("HEAD /livez HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ")
        .contains("Content-Length: 3\r\n")
        .endsWith("\r\n\r\n");
    assertThat(raw("DELETE /livez HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 405 ")
        .contains("Allow: GET, HEAD\r\n");
    assertThat(raw("GET /nope HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 404 ")
        .endsWith("not found: /nope\n");
    assertThat(raw("POST /echo?node=0x2a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"))
        .startsWith("HTTP/1.1 200 ")
        .endsWith("0x2a hello");
  }

  @Test
  void oversizedAndMalformedRequestsGetTheirStatus() throws Exception {
    start();
    assertThat(raw("GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 431 ");
    assertThat(raw("POST /echo HTTP/1.1\r\nContent-Length: 1025\r\n\r\n"))
        .startsWith("HTTP/1.1 413 ");
    assertThat(raw("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
        .startsWith("HTTP/1.1 501 ");
    assertThat(raw("\u0000\u0001garbage\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    assertThat(StalledClients.probe(server.address(), "/livez").status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(ints = {4, 400})
  void probesAnswerBeforeAStalledClientsDeadlineWhileClientsStall(int stalled) throws Exception {
    start(new Limits(64, 8192, 1024, Duration.ofSeconds(5), WRITE));
    try (StalledClients clients = new StalledClients(server.address()).open(stalled)) {
      Duration max = Duration.ZERO;
      for (int i = 0; i < 10; i++) {
        StalledClients.Probe p = StalledClients.probe(server.address(), "/livez");
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.latency()).isLessThan(PROBE_BOUND);
        max = p.latency().compareTo(max) > 0 ? p.latency() : max;
      }
      log.info(
          "{} stalled connections: slowest of 10 probes {} ms, {} evicted",
          stalled,
          max.toMillis(),
          server.evictedConnections());
      assertThat(server.openConnections()).isLessThanOrEqualTo(64);
      if (stalled > 64) {
        assertThat(server.evictedConnections()).isGreaterThanOrEqualTo(stalled - 64);
      }
      assertThat(clients.sockets()).hasSize(stalled);
    }
  }

  @Test
  void probesGetInWhileNewStalledConnectionsKeepArriving() throws Exception {
    start(new Limits(64, 8192, 1024, Duration.ofSeconds(5), WRITE));
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger opened = new AtomicInteger();
    // At most 3000 connections or 20 s: stalled clients opened as fast as one thread can.
    CompletableFuture<Void> flood =
        CompletableFuture.runAsync(
            () -> {
              long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
              try (StalledClients clients = new StalledClients(server.address())) {
                while (!stop.get() && opened.get() < 3000 && System.nanoTime() < end) {
                  clients.open(10);
                  opened.addAndGet(10);
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> opened.get() >= 200);
      for (int i = 0; i < 10; i++) {
        StalledClients.Probe p = StalledClients.probe(server.address(), "/livez");
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.latency()).isLessThan(PROBE_BOUND);
      }
    } finally {
      stop.set(true);
      flood.get(30, TimeUnit.SECONDS);
    }
    log.info(
        "{} stalled connections opened meanwhile, {} evicted",
        opened.get(),
        server.evictedConnections());
  }

  @Test
  void everyStalledConnectionIsClosedAfterItsReadDeadline() throws Exception {
    start();
    long start = System.nanoTime();
    try (StalledClients clients = new StalledClients(server.address()).open(40)) {
      for (Socket s : clients.sockets()) {
        assertThat(StalledClients.closedByServer(s, READ.plusSeconds(4))).isTrue();
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isBetween(READ.minusMillis(100), READ.plusSeconds(4));
      await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
      assertThat(server.timedOutConnections()).isEqualTo(40);
    }
  }

  @Test
  void aTrickleOfBytesDoesNotExtendTheReadDeadline() throws Exception {
    start();
    try (Socket s = new Socket()) {
      s.connect(server.address(), 5_000);
      OutputStream out = s.getOutputStream();
      long start = System.nanoTime();
      // One byte every 100 ms until the server closes the connection (a write then fails).
      await()
          .atMost(READ.plusSeconds(4))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !trickle(out));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(READ.plusSeconds(3));
    }
  }

  /** Writes one byte; false once the server has closed the connection (the write fails). */
  private static boolean trickle(OutputStream out) {
    try {
      out.write('G');
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void aSlowReaderDoesNotBlockTheServerAndIsDroppedAfterTheWriteDeadline() throws Exception {
    // A write deadline past the probes' bound: a server blocked on this reader would show it.
    Duration write = Duration.ofSeconds(5);
    start(new Limits(64, 8192, 1024, READ, write));
    try (Socket reader = new Socket()) {
      reader.setReceiveBufferSize(4096);
      reader.connect(server.address(), 5_000);
      reader
          .getOutputStream()
          .write("GET /big HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      // The 16 MiB answer cannot fit the socket buffers; the reader never reads.
      for (int i = 0; i < 5; i++) {
        StalledClients.Probe p = StalledClients.probe(server.address(), "/livez");
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.latency()).isLessThan(PROBE_BOUND);
      }
      await().atMost(write.plusSeconds(4)).until(() -> server.timedOutConnections() == 1);
      assertThat(StalledClients.closedByServer(reader, Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void slowRoutesBeyondTheirPoolGet503AndTheGateAnswersWithoutTheirPool() throws Exception {
    start();
    List<Socket> held = new ArrayList<>();
    try {
      // One thread and one queue slot: two requests are held, the third is refused at once.
      for (int i = 0; i < 2; i++) {
        Socket s = new Socket();
        held.add(s);
        s.connect(server.address(), 5_000);
        s.getOutputStream()
            .write("GET /slow HTTP/1.1\r\nX-Pass: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> slowCalls.get() == 1);
      assertThat(raw("GET /slow HTTP/1.1\r\nX-Pass: 1\r\n\r\n"))
          .startsWith("HTTP/1.1 503 ")
          .endsWith("busy\n");
      assertThat(raw("GET /slow HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 401 ");
      assertThat(StalledClients.probe(server.address(), "/livez").status()).isEqualTo(200);
      slowGate.countDown();
      for (Socket s : held) {
        s.setSoTimeout(10_000);
        assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .startsWith("HTTP/1.1 200 ")
            .endsWith("slow\n");
      }
      assertThat(slowCalls).hasValue(2);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void closeIsIdempotentAndFreesThePort() throws Exception {
    start();
    InetSocketAddress address = server.address();
    server.close();
    server.close();
    server =
        HttpServer.builder("again")
            .fast("GET", "/livez", r -> Response.text(200, "ok\n"))
            .start(address.getHostString(), address.getPort());
    assertThat(StalledClients.probe(server.address(), "/livez").status()).isEqualTo(200);
  }
}
