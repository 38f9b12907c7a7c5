package io.dqlite.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.http.testing.StalledClients;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HealthServerTest {

  /**
   * A hang detector, not a speed check: a server that let stalled clients hold it would answer a
   * probe only after their read deadline (5 s by default); 1 s was too close on a loaded machine.
   */
  private static final Duration PROBE_BOUND = Duration.ofSeconds(3);

  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void probesAndMetrics() throws Exception {
    AtomicReference<Optional<String>> ready = new AtomicReference<>(Optional.of("not started yet"));
    try (HealthServer server =
        HealthServer.start(
            "127.0.0.1", 0, Optional::empty, ready::get, () -> "# TYPE up gauge\nup 1.0\n")) {
      assertThat(get(server, "/livez")).isEqualTo("200 ok\n");
      assertThat(get(server, "/readyz")).isEqualTo("503 not started yet\n");
      ready.set(Optional.empty());
      assertThat(get(server, "/readyz")).isEqualTo("200 ok\n");
      assertThat(get(server, "/metrics")).isEqualTo("200 # TYPE up gauge\nup 1.0\n");
      assertThat(get(server, "/nope")).startsWith("404 ");
    }
  }

  /** Issue 13: the operator's probes shared a two-thread JDK server with any client. */
  @ParameterizedTest
  @ValueSource(ints = {4, 400})
  void probesAnswerBeforeAStalledClientsDeadlineWhileClientsStall(int stalled) throws Exception {
    try (HealthServer server =
            HealthServer.start("127.0.0.1", 0, Optional::empty, Optional::empty, () -> "up 1.0\n");
        StalledClients clients = new StalledClients(address(server)).open(stalled)) {
      assertThat(clients.sockets()).hasSize(stalled);
      for (int i = 0; i < 5; i++) {
        for (String path : new String[] {"/livez", "/readyz"}) {
          StalledClients.Probe p = StalledClients.probe(address(server), path);
          assertThat(p.status()).as(path).isEqualTo(200);
          assertThat(p.latency()).as(path).isLessThan(PROBE_BOUND);
        }
      }
    }
  }

  private static InetSocketAddress address(HealthServer server) {
    return new InetSocketAddress("127.0.0.1", server.port());
  }

  private String get(HealthServer server, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }
}
