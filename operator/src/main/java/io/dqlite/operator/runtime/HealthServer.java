package io.dqlite.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dqlite.operator.OperatorSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP endpoints (JDK {@code HttpServer}, two threads): {@code GET /livez}, {@code
 * GET /readyz} (200 {@code ok}, or 503 with the reason) and {@code GET /metrics} (Prometheus text).
 */
public final class HealthServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService pool;
  private boolean closed;

  private HealthServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
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
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new IOException(
          "health server: cannot listen on "
              + host
              + ":"
              + port
              + ": "
              + e.getMessage()
              + " (set "
              + OperatorSettings.ENV_HTTP_PORT
              + " to another port)",
          e);
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "dqlite-operator-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext("/livez", ex -> probe(ex, live.get()));
    server.createContext("/readyz", ex -> probe(ex, ready.get()));
    server.createContext(
        "/metrics",
        ex -> {
          String body;
          try {
            body = metrics.get();
          } catch (RuntimeException e) {
            send(ex, 500, TEXT, "metrics failed: " + e.getMessage() + "\n");
            return;
          }
          send(ex, 200, PROMETHEUS, body);
        });
    server.createContext(
        "/", ex -> send(ex, 404, TEXT, "not found: try /livez, /readyz or /metrics\n"));
    server.start();
    HealthServer health = new HealthServer(server, pool);
    log.info("health and metrics endpoints on {}:{}", host, health.port());
    return health;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange ex, Optional<String> problem) throws IOException {
    if (problem.isEmpty()) {
      send(ex, 200, TEXT, "ok\n");
    } else {
      send(ex, 503, TEXT, problem.get() + "\n");
    }
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    try (ex) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(ex.getRequestMethod());
      ex.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /** Stops serving; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    pool.shutdownNow();
  }
}
