package io.dqlite.operator.runtime;

import io.dqlite.http.HttpServer;
import io.dqlite.http.Response;
import io.dqlite.operator.OperatorSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP endpoints: {@code GET /livez}, {@code GET /readyz} (200 {@code ok}, or 503
 * with the reason) and {@code GET /metrics} (Prometheus text). On {@link HttpServer}, whose one
 * selector thread reads every request itself with deadlines, so no slow or stalled client on the
 * port delays the kubelet's probes. All three answer from memory on that thread.
 */
public final class HealthServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Listens on {@code host:port} (port 0: any free port).
   *
   * @param live empty when alive, else why not
   * @param ready empty when ready, else why not
   * @param metrics the Prometheus text
   * @throws IOException when the port cannot be bound
   */
  public static HealthServer start(
      String host,
      int port,
      Supplier<Optional<String>> live,
      Supplier<Optional<String>> ready,
      Supplier<String> metrics)
      throws IOException {
    HttpServer server;
    try {
      server =
          HttpServer.builder("dqlite-operator")
              .fast("GET", "/livez", r -> probe(live.get()))
              .fast("GET", "/readyz", r -> probe(ready.get()))
              .fast(
                  "GET",
                  "/metrics",
                  r -> {
                    try {
                      return Response.of(200, PROMETHEUS, metrics.get());
                    } catch (RuntimeException e) {
                      return Response.text(500, "metrics failed: " + e.getMessage() + "\n");
                    }
                  })
              .notFound(r -> Response.text(404, "not found: try /livez, /readyz or /metrics\n"))
              .start(host, port);
    } catch (IOException e) {
      throw new IOException(
          "health server: "
              + e.getMessage()
              + " (set "
              + OperatorSettings.ENV_HTTP_PORT
              + " to another port)",
          e);
    }
    HealthServer health = new HealthServer(server);
    log.info("health and metrics endpoints on {}:{}", host, health.port());
    return health;
  }

  public int port() {
    return server.address().getPort();
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return server.address();
  }

  private static Response probe(Optional<String> problem) {
    return problem.isEmpty()
        ? Response.text(200, "ok\n")
        : Response.text(503, problem.get() + "\n");
  }

  /** Stops serving; idempotent. */
  @Override
  public void close() {
    server.close();
  }
}
