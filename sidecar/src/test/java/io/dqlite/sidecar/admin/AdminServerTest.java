package io.dqlite.sidecar.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.http.testing.StalledClients;
import io.dqlite.sidecar.api.AdminApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdminServerTest {

  /**
   * A hang detector, not a speed check: a server that let stalled clients hold it would answer a
   * probe only after their read deadline (5 s by default); 1 s was too close on a loaded machine.
   */
  private static final Duration PROBE_BOUND = Duration.ofSeconds(3);

  private static final String TOKEN = "correct-horse-battery-staple";

  private final FixedBackend backend = new FixedBackend();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private Path tokenFile;
  private AdminServer server;

  @BeforeEach
  void start() throws IOException {
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    server = AdminServer.start("127.0.8.1:0", backend, AdminAuth.token(tokenFile));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> call(String method, String path) throws Exception {
    return call(method, path, TOKEN);
  }

  /** A call with {@code token} as bearer token; null: no Authorization header. */
  private HttpResponse<String> call(String method, String path, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://" + server.address() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header(AdminApi.AUTHORIZATION, AdminApi.bearer(token));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesAnswerWithStatusAndReason() throws Exception {
    HttpResponse<String> live = call("GET", "/livez");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("ok\n");
    HttpResponse<String> ready = call("GET", "/readyz");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("joining");
    backend.ready = AdminBackend.Answer.ok("ready: voter");
    assertThat(call("GET", "/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    HttpResponse<String> r = call("GET", "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).isEqualTo(backend.metrics);
  }

  @Test
  void clusterAndHandoverAreJson() throws Exception {
    HttpResponse<String> c = call("GET", "/cluster");
    assertThat(c.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(c.body()).contains("\"members\"");
    backend.handover =
        new AdminBackend.Answer(409, AdminBackend.reason("a handover is already" + " running"));
    HttpResponse<String> h = call("POST", AdminApi.handoverPath(FixedBackend.NODE_ID));
    assertThat(h.statusCode()).isEqualTo(409);
    assertThat(h.body()).contains("\"reason\"").contains("already running");
  }

  @Test
  void wrongMethodsAndPathsAreRefusedWithoutSideEffects() throws Exception {
    HttpResponse<String> get = call("GET", "/handover");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(backend.handovers).hasValue(0);
    assertThat(call("POST", "/metrics").statusCode()).isEqualTo(405);
    assertThat(call("GET", "/nope").statusCode()).isEqualTo(404);
    assertThat(call("GET", "/livezz").statusCode()).isEqualTo(404);
    assertThat(call("HEAD", "/livez").statusCode()).isEqualTo(200);
  }

  @Test
  void clusterAndHandoverNeedTheTokenWhileProbesAndMetricsStayOpen() throws Exception {
    String handover = AdminApi.handoverPath(FixedBackend.NODE_ID);
    for (String token : new String[] {null, "wrong", TOKEN + "x", ""}) {
      HttpResponse<String> c = call("GET", "/cluster", token);
      assertThat(c.statusCode()).as("token %s", token).isEqualTo(401);
      assertThat(c.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(c.body()).contains("\"reason\"").doesNotContain(TOKEN);
      assertThat(call("POST", handover, token).statusCode()).isEqualTo(401);
    }
    assertThat(call("GET", "/cluster", null).body()).contains("authentication required");
    assertThat(call("GET", "/cluster", "wrong").body()).contains("wrong credentials");
    assertThat(backend.clusterCalls).hasValue(0);
    assertThat(backend.handovers).hasValue(0);
    for (String open : new String[] {"/livez", "/readyz", "/metrics"}) {
      assertThat(call("GET", open, null).statusCode()).as(open).isIn(200, 503);
    }
    assertThat(call("GET", "/cluster").statusCode()).isEqualTo(200);
    assertThat(call("POST", handover).statusCode()).isEqualTo(200);
    assertThat(backend.handovers).hasValue(1);
  }

  @Test
  void aRenewedTokenFileAppliesWithoutRestart() throws Exception {
    Files.writeString(tokenFile, "renewed");
    assertThat(call("GET", "/cluster").statusCode()).isEqualTo(401);
    assertThat(call("GET", "/cluster", "renewed").statusCode()).isEqualTo(200);
    Files.delete(tokenFile);
    HttpResponse<String> gone = call("GET", "/cluster", "renewed");
    assertThat(gone.statusCode()).isEqualTo(500);
    assertThat(gone.body()).contains("cannot read admin token file").contains("token");
  }

  @Test
  void handoverMustNameThisNode() throws Exception {
    HttpResponse<String> other = call("POST", AdminApi.handoverPath(FixedBackend.NODE_ID + 1));
    assertThat(other.statusCode()).isEqualTo(409);
    assertThat(other.body()).contains("runs node 0x2a, not 0x2b");
    HttpResponse<String> unnamed = call("POST", "/handover");
    assertThat(unnamed.statusCode()).isEqualTo(400);
    assertThat(unnamed.body()).contains("/handover?node=0x2a");
    assertThat(call("POST", "/handover?node=banana").statusCode()).isEqualTo(400);
    assertThat(backend.handovers).hasValue(0);
    assertThat(call("POST", "/handover?node=42").statusCode()).isEqualTo(200);
    assertThat(backend.handovers).hasValue(1);
  }

  @Test
  void withoutATokenFileNobodyIsServedUnlessAuthIsExplicitlyOff() throws Exception {
    server.close();
    server = AdminServer.start("127.0.8.1:0", backend, AdminAuth.unconfigured());
    HttpResponse<String> refused = call("GET", "/cluster");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("--admin-token-file").contains("--admin-auth=none");
    assertThat(call("POST", AdminApi.handoverPath(FixedBackend.NODE_ID)).statusCode())
        .isEqualTo(403);
    assertThat(call("GET", "/livez", null).statusCode()).isEqualTo(200);
    server.close();
    server = AdminServer.start("127.0.8.1:0", backend, AdminAuth.none());
    assertThat(call("GET", "/cluster", null).statusCode()).isEqualTo(200);
    assertThat(call("POST", AdminApi.handoverPath(FixedBackend.NODE_ID), null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void closeIsIdempotentAndFreesThePort() throws Exception {
    String address = server.address();
    server.close();
    server.close();
    server = AdminServer.start(address, backend, AdminAuth.token(tokenFile));
    assertThat(call("GET", "/livez").statusCode()).isEqualTo(200);
  }

  @Test
  void busyAddressSaysWhichFlagToChange() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> AdminServer.start(server.address(), backend, AdminAuth.none()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("--admin-address");
  }

  @Test
  void probesAndScrapesNeverWaitForSlowClusterCalls() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    backend.clusterGate = gate;
    List<CompletableFuture<HttpResponse<String>>> cluster = new ArrayList<>();
    try {
      // More slow /cluster calls than the server has threads of any kind.
      for (int i = 0; i < 8; i++) {
        cluster.add(async("/cluster"));
      }
      await("both cluster threads are held")
          .atMost(Duration.ofSeconds(30))
          .until(() -> backend.clusterCalls.get() == 2);
      for (int i = 0; i < 3; i++) {
        assertThat(call("GET", "/livez").statusCode()).isEqualTo(200);
        assertThat(call("GET", "/readyz").statusCode()).isEqualTo(503);
        assertThat(call("GET", "/metrics").statusCode()).isEqualTo(200);
      }
      assertThat(cluster).noneMatch(CompletableFuture::isDone);
    } finally {
      gate.countDown();
    }
    for (CompletableFuture<HttpResponse<String>> f : cluster) {
      assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    assertThat(backend.clusterCalls).hasValue(8);
  }

  @Test
  void clusterCallsBeyondTheQueueAreRefusedAtOnce() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    backend.clusterGate = gate;
    int held = 2 + AdminServer.SLOW_QUEUE;
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < held + 3; i++) {
        calls.add(async("/cluster"));
      }
      await("three refused with 503")
          .atMost(Duration.ofSeconds(30))
          .until(() -> calls.stream().filter(f -> status(f) == 503).count() == 3);
      assertThat(calls.stream().filter(CompletableFuture::isDone).count()).isEqualTo(3);
    } finally {
      gate.countDown();
    }
    for (CompletableFuture<HttpResponse<String>> f : calls) {
      f.get(30, TimeUnit.SECONDS);
    }
    assertThat(calls.stream().filter(f -> status(f) == 200).count()).isEqualTo(held);
  }

  /** Issue 13: stalled connections on the admin port made /livez miss the kubelet's deadline. */
  @ParameterizedTest
  @ValueSource(ints = {4, 400})
  void probesAnswerBeforeAStalledClientsDeadlineWhileClientsStall(int stalled) throws Exception {
    InetSocketAddress target = socketAddress();
    try (StalledClients clients = new StalledClients(target).open(stalled)) {
      assertThat(clients.sockets()).hasSize(stalled);
      for (int i = 0; i < 5; i++) {
        for (String path : List.of("/livez", "/readyz")) {
          StalledClients.Probe p = StalledClients.probe(target, path);
          assertThat(p.status()).as(path).isEqualTo(path.equals("/livez") ? 200 : 503);
          assertThat(p.latency()).as(path + " latency").isLessThan(PROBE_BOUND);
        }
      }
    }
  }

  @Test
  void aScrapeThatIsNeverReadDoesNotDelayTheProbes() throws Exception {
    backend.metrics = "# TYPE x gauge\n" + "x 1.0\n".repeat(3_000_000); // 18 MB
    InetSocketAddress target = socketAddress();
    try (Socket reader = new Socket()) {
      reader.setReceiveBufferSize(4096);
      reader.connect(target, 5_000);
      reader
          .getOutputStream()
          .write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      // The answer has started: its first bytes wait in the reader's buffer, the rest (18 MB
      // cannot fit any socket buffer) at the server, which must not wait for them.
      await("the answer started")
          .atMost(Duration.ofSeconds(10))
          .until(() -> reader.getInputStream().available() > 0);
      for (int i = 0; i < 5; i++) {
        StalledClients.Probe p = StalledClients.probe(target, "/livez");
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.latency()).isLessThan(PROBE_BOUND);
      }
      assertThat(server.http().openConnections())
          .as("the reader's connection is still open")
          .isEqualTo(1);
    }
  }

  private InetSocketAddress socketAddress() {
    String a = server.address();
    int colon = a.lastIndexOf(':');
    return new InetSocketAddress(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1)));
  }

  private CompletableFuture<HttpResponse<String>> async(String path) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://" + server.address() + path))
            .header(AdminApi.AUTHORIZATION, AdminApi.bearer(TOKEN))
            .timeout(Duration.ofSeconds(90))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int status(CompletableFuture<HttpResponse<String>> f) {
    return f.isDone() && !f.isCompletedExceptionally() ? f.join().statusCode() : -1;
  }
}
