package io.dqlite.sidecar.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {

  private final FixedBackend backend = new FixedBackend();
  private final HttpClient http = HttpClient.newHttpClient();
  private AdminServer server;

  @BeforeEach
  void start() throws IOException {
    server = AdminServer.start("127.0.8.1:0", backend);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> call(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + server.address() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
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
    assertThat(r.headers().firstValue("Content-Type")).contains(
        "text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).isEqualTo(backend.metrics);
  }

  @Test
  void clusterAndHandoverAreJson() throws Exception {
    HttpResponse<String> c = call("GET", "/cluster");
    assertThat(c.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(c.body()).contains("\"members\"");
    backend.handover = new AdminBackend.Answer(409, AdminBackend.reason("a handover is already"
        + " running"));
    HttpResponse<String> h = call("POST", "/handover");
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
  void closeIsIdempotentAndFreesThePort() throws Exception {
    String address = server.address();
    server.close();
    server.close();
    server = AdminServer.start(address, backend);
    assertThat(call("GET", "/livez").statusCode()).isEqualTo(200);
  }

  @Test
  void busyAddressSaysWhichFlagToChange() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> AdminServer.start(server.address(), backend))
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

  private CompletableFuture<HttpResponse<String>> async(String path) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://" + server.address() + path))
            .timeout(Duration.ofSeconds(90))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int status(CompletableFuture<HttpResponse<String>> f) {
    return f.isDone() && !f.isCompletedExceptionally() ? f.join().statusCode() : -1;
  }
}
