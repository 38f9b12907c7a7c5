package io.dqlite.sidecar.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dqlite.http.HttpServer;
import io.dqlite.http.Request;
import io.dqlite.http.Response;
import io.dqlite.sidecar.api.AdminApi;
import io.dqlite.sidecar.api.AdminJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server: {@code GET /livez}, {@code GET /readyz}, {@code GET /metrics}, {@code GET
 * /cluster}, {@code POST /handover?node=<id>} ({@link AdminApi}). JSON bodies, except /metrics
 * (Prometheus text 0.0.4) and the probes' (plain text reason).
 *
 * <p>Built on {@link HttpServer}, because kubelet kills a container whose liveness probe times out:
 * one selector thread reads every request itself with deadlines and answers the probes and the
 * scrapes from memory, so no number of slow, stalled or hostile clients delays them. /cluster and
 * /handover, which talk to the cluster for seconds (a leader search, a describe per member, a
 * handover of up to a minute), run on two other threads with at most {@link #SLOW_QUEUE} waiting;
 * beyond that the answer is 503 at once.
 *
 * <p>/cluster and /handover need the admin token ({@link AdminAuth}, checked on the selector thread
 * before any cluster I/O); the probes and /metrics are open.
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Cluster and handover requests waiting for a thread of their pool; more get 503. */
  static final int SLOW_QUEUE = 16;

  private final HttpServer server;
  private final AdminBackend backend;
  private final AdminAuth auth;

  private AdminServer(String hostPort, AdminBackend backend, AdminAuth auth) throws IOException {
    this.backend = backend;
    this.auth = auth;
    int colon = hostPort.lastIndexOf(':');
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    try {
      server =
          HttpServer.builder("dqlite-admin")
              .fast("GET", AdminApi.LIVEZ, r -> probe(backend::live))
              .fast("GET", AdminApi.READYZ, r -> probe(backend::ready))
              .fast(
                  "GET",
                  AdminApi.METRICS,
                  r -> Response.of(200, PROMETHEUS_TEXT, backend.metrics()))
              .slow("GET", AdminApi.CLUSTER, this::refusal, r -> json(backend.cluster()))
              .slow("POST", AdminApi.HANDOVER, this::refusal, this::handover)
              .notFound(
                  r ->
                      Response.text(
                          404,
                          "not found: "
                              + r.path()
                              + " (try /livez,"
                              + " /readyz, /metrics, /cluster or POST /handover?node=<id>)\n"))
              .slowPool(
                  2,
                  SLOW_QUEUE,
                  SLOW_QUEUE + " cluster or handover requests already wait;" + " retry later\n")
              .start(host, port);
    } catch (IOException e) {
      throw new IOException(
          "admin server: " + e.getMessage() + " (choose another --admin-address)", e);
    }
  }

  /**
   * Listens on {@code host:port} (port 0: any free port) and serves {@code backend}, with /cluster
   * and /handover open to the callers {@code auth} admits.
   *
   * @throws IOException when the address cannot be bound
   */
  public static AdminServer start(String hostPort, AdminBackend backend, AdminAuth auth)
      throws IOException {
    AdminServer admin = new AdminServer(hostPort, backend, auth);
    log.info(
        "admin server listening on {}; /cluster and /handover: {}",
        admin.address(),
        auth.open()
            ? "open to anyone (--admin-auth=none)"
            : auth.tokenFile()
                .map(f -> "bearer token from " + f)
                .orElse("refused (no --admin-token-file)"));
    return admin;
  }

  /** The bound address, {@code host:port}. */
  public String address() {
    return server.address().getHostString() + ":" + server.address().getPort();
  }

  /** The bound port. */
  public int port() {
    return server.address().getPort();
  }

  /** The underlying server, for its counters. */
  public HttpServer http() {
    return server;
  }

  private static Response probe(Supplier<AdminBackend.Answer> check) {
    AdminBackend.Answer answer = check.get();
    return Response.text(answer.status(), answer.body() + "\n");
  }

  /**
   * The answer to a caller who may not use /cluster or /handover, or null. Runs on the selector
   * thread (reading a small file is quick): refusals cost no slow-pool slot.
   */
  private Response refusal(Request r) {
    Optional<String> token = Optional.empty();
    Optional<String> error = Optional.empty();
    Optional<Path> file = auth.tokenFile();
    if (file.isPresent()) {
      try {
        token = Optional.of(AdminAuth.readToken(file.get()));
      } catch (IOException e) {
        error = Optional.of(e.getMessage());
      }
    }
    Optional<AdminGate.Refusal> refused =
        AdminGate.access(auth, token, error, r.header(AdminApi.AUTHORIZATION));
    refused.ifPresent(
        x -> log.debug("admin {} {} from {}: {}", r.method(), r.path(), r.remote(), x.status()));
    return refused
        .map(x -> refuse(x).withHeader("WWW-Authenticate", "Bearer realm=\"dqlite-admin\""))
        .orElse(null);
  }

  private Response handover(Request r) {
    Optional<AdminGate.Refusal> target =
        AdminGate.handoverTarget(backend.nodeId(), r.queryParameter(AdminApi.NODE_PARAMETER));
    if (target.isPresent()) {
      log.info("handover for another node refused: {}", target.get().reason());
      return refuse(target.get());
    }
    java.util.Set<Long> exclude;
    try {
      exclude = AdminGate.handoverExclude(r.queryParameter(AdminApi.EXCLUDE_PARAMETER));
    } catch (IllegalArgumentException e) {
      return refuse(new AdminGate.Refusal(400, e.getMessage()));
    }
    return json(backend.handover(exclude));
  }

  private Response refuse(AdminGate.Refusal refusal) {
    return json(new AdminBackend.Answer(refusal.status(), AdminBackend.reason(refusal.reason())));
  }

  private Response json(AdminBackend.Answer answer) {
    try {
      return Response.of(answer.status(), Response.JSON, AdminJson.write(answer.body()) + "\n");
    } catch (JsonProcessingException e) {
      return Response.text(500, "cannot render JSON: " + e.getMessage() + "\n");
    }
  }

  /** Stops serving; idempotent. */
  @Override
  public void close() {
    server.close();
    log.info("admin server closed");
  }
}
