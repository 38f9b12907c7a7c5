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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server (JDK {@code HttpServer}): {@code GET /livez}, {@code GET /readyz}, {@code
 * GET /metrics}, {@code GET /cluster}, {@code POST /handover}. JSON bodies, except /metrics
 * (Prometheus text 0.0.4) and the probes' (plain text reason).
 *
 * <p>Two pools, because kubelet kills a container whose liveness probe times out: the server's
 * own pool answers the probes and the scrapes, which read memory only; /cluster and /handover,
 * which talk to the cluster for seconds (a leader search, a describe per member, a handover of up
 * to a minute), are handed to a second pool and complete from there. So no number of slow
 * /cluster calls can make /livez wait. The second pool queues at most {@link #SLOW_QUEUE}
 * requests; beyond that the answer is 503 at once.
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Cluster and handover requests waiting for a thread of their pool; more get 503. */
  static final int SLOW_QUEUE = 16;

  private final HttpServer server;
  private final ExecutorService pool;
  private final ThreadPoolExecutor slow;
  private final ObjectMapper json =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private volatile boolean closed;

  private AdminServer(HttpServer server, ExecutorService pool, ThreadPoolExecutor slow) {
    this.server = server;
    this.pool = pool;
    this.slow = slow;
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
    ExecutorService pool = Executors.newFixedThreadPool(2, threads("dqlite-admin-"));
    ThreadPoolExecutor slow =
        new ThreadPoolExecutor(
            2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(SLOW_QUEUE),
            threads("dqlite-admin-cluster-"));
    slow.allowCoreThreadTimeOut(true); // Idle most of the time: no threads kept for it.
    AdminServer admin = new AdminServer(server, pool, slow);
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
            admin.offload(ex, () -> admin.sendJson(ex, backend.cluster()));
          }
        });
    server.createContext(
        "/handover",
        ex -> {
          if (admin.method(ex, "POST")) {
            admin.offload(ex, () -> admin.sendJson(ex, backend.handover()));
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

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** An exchange answered from the slow pool; the server's thread returns at once. */
  private interface Work {
    void run() throws IOException;
  }

  private void offload(HttpExchange ex, Work work) throws IOException {
    try {
      slow.execute(
          () -> {
            try {
              work.run();
            } catch (IOException | RuntimeException e) {
              log.debug("admin {}: {}", ex.getRequestURI().getPath(), e.toString());
              ex.close();
            }
          });
    } catch (RejectedExecutionException e) {
      send(ex, 503, "text/plain; charset=utf-8",
          closed ? "shutting down\n" : SLOW_QUEUE + " cluster or handover requests already wait;"
              + " retry later\n");
    }
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
    slow.shutdownNow();
    try {
      pool.awaitTermination(2, TimeUnit.SECONDS);
      slow.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("admin server closed");
  }
}
