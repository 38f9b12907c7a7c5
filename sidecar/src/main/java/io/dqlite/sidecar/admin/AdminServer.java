package io.dqlite.sidecar.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server (JDK {@code HttpServer}): {@code GET /livez}, {@code GET /readyz}, {@code
 * GET /metrics}, {@code GET /cluster}, {@code POST /handover}. Probes and scrapes are served by a
 * small pool, so a handover in progress does not block them. JSON bodies, except /metrics
 * (Prometheus text 0.0.4) and the probes' (plain text reason).
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService pool;
  private final ObjectMapper json =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private volatile boolean closed;

  private AdminServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /**
   * Listens on {@code host:port} (port 0: any free port) and serves {@code backend}.
   *
   * @throws IOException when the address cannot be bound
   */
  public static AdminServer start(String hostPort, AdminBackend backend) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new IOException("admin server: cannot listen on " + hostPort + ": " + e.getMessage()
          + " (choose another --admin-address)", e);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "dqlite-admin-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    AdminServer admin = new AdminServer(server, pool);
    server.setExecutor(pool);
    server.createContext("/livez", ex -> admin.probe(ex, backend::live));
    server.createContext("/readyz", ex -> admin.probe(ex, backend::ready));
    server.createContext(
        "/metrics",
        ex -> {
          if (admin.method(ex, "GET")) {
            admin.send(ex, 200, PROMETHEUS_TEXT, backend.metrics());
          }
        });
    server.createContext(
        "/cluster",
        ex -> {
          if (admin.method(ex, "GET")) {
            admin.sendJson(ex, backend.cluster());
          }
        });
    server.createContext(
        "/handover",
        ex -> {
          if (admin.method(ex, "POST")) {
            admin.sendJson(ex, backend.handover());
          }
        });
    server.createContext(
        "/",
        ex ->
            admin.send(ex, 404, "text/plain; charset=utf-8",
                "not found: try /livez, /readyz, /metrics, /cluster or POST /handover\n"));
    server.start();
    log.info("admin server listening on {}", admin.address());
    return admin;
  }

  /** The bound address, {@code host:port}. */
  public String address() {
    InetSocketAddress a = server.getAddress();
    return a.getHostString() + ":" + a.getPort();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void probe(HttpExchange ex, java.util.function.Supplier<AdminBackend.Answer> check)
      throws IOException {
    if (!method(ex, "GET")) {
      return;
    }
    AdminBackend.Answer answer = check.get();
    Object body = answer.body();
    send(ex, answer.status(), "text/plain; charset=utf-8", String.valueOf(body) + "\n");
  }

  private boolean method(HttpExchange ex, String expected) throws IOException {
    if (!ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath())) {
      send(ex, 404, "text/plain; charset=utf-8", "not found: " + ex.getRequestURI().getPath()
          + "\n");
      return false;
    }
    boolean head = expected.equals("GET") && ex.getRequestMethod().equals("HEAD");
    if (ex.getRequestMethod().equals(expected) || head) {
      return true;
    }
    ex.getResponseHeaders().set("Allow", expected);
    send(ex, 405, "text/plain; charset=utf-8",
        ex.getRequestURI().getPath() + " accepts " + expected + " only\n");
    return false;
  }

  private void sendJson(HttpExchange ex, AdminBackend.Answer answer) throws IOException {
    String body;
    try {
      body = json.writeValueAsString(answer.body()) + "\n";
    } catch (JsonProcessingException e) {
      send(ex, 500, "text/plain; charset=utf-8", "cannot render JSON: " + e.getMessage() + "\n");
      return;
    }
    send(ex, answer.status(), "application/json", body);
  }

  private void send(HttpExchange ex, int status, String type, String body) throws IOException {
    try (ex) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", type);
      boolean head = ex.getRequestMethod().equals("HEAD");
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
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    pool.shutdownNow();
    try {
      pool.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("admin server closed");
  }
}
