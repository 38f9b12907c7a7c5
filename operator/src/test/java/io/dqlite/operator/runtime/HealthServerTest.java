package io.dqlite.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthServerTest {

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

  private String get(HealthServer server, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }
}
