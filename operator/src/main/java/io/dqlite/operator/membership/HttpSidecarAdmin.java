package io.dqlite.operator.membership;

import io.dqlite.sidecar.api.AdminApi;
import io.dqlite.sidecar.api.AdminJson;
import io.dqlite.sidecar.api.HandoverAnswer;
import io.dqlite.sidecar.api.SidecarView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link SidecarAdmin} over HTTP with the JDK client, authenticated with the cluster's admin token
 * ({@link AdminApi}). Timeouts: connecting {@link #CONNECT_TIMEOUT}; {@code /cluster} {@link
 * #CLUSTER_TIMEOUT} (the sidecar probes every member before it answers, 2 s each at most); {@code
 * /handover} the sidecar's own handover budget plus {@link #HANDOVER_SLACK}.
 */
public final class HttpSidecarAdmin implements SidecarAdmin {

  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration HANDOVER_SLACK = Duration.ofSeconds(10);

  private final HttpClient http;
  private final Duration handoverTimeout;

  /**
   * @param handoverTimeout the sidecar's handover budget ({@code DQLITE_HANDOVER_TIMEOUT})
   */
  public HttpSidecarAdmin(Duration handoverTimeout) {
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.handoverTimeout = handoverTimeout.plus(HANDOVER_SLACK);
  }

  @Override
  public CompletableFuture<SidecarView> cluster(URI admin, AdminToken token) {
    URI uri = admin.resolve(AdminApi.CLUSTER);
    HttpRequest request =
        authorized(HttpRequest.newBuilder(uri), token)
            .timeout(CLUSTER_TIMEOUT)
            .header("Accept", "application/json")
            .GET()
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> parseCluster(uri, response.statusCode(), response.body()));
  }

  static SidecarView parseCluster(URI uri, int status, String body) {
    if (status != 200 && status != 503) {
      throw new CompletionException(
          new IOException("GET " + uri + ": HTTP " + status + ": " + abbreviate(body)));
    }
    try {
      return AdminJson.readCluster(body);
    } catch (IOException e) {
      throw new CompletionException(
          new IOException(
              "GET " + uri + ": unreadable answer (" + e.getMessage() + "): " + abbreviate(body),
              e));
    }
  }

  @Override
  public HandoverResult handover(URI admin, AdminToken token, long nodeId)
      throws IOException, InterruptedException {
    return handover(admin, token, nodeId, java.util.Set.of());
  }

  @Override
  public HandoverResult handover(
      URI admin, AdminToken token, long nodeId, java.util.Set<Long> exclude)
      throws IOException, InterruptedException {
    URI uri = admin.resolve(AdminApi.handoverPath(nodeId, exclude));
    HttpRequest request =
        authorized(HttpRequest.newBuilder(uri), token)
            .timeout(handoverTimeout)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("POST " + uri + ": " + e.getMessage(), e);
    }
    return parseHandover(uri, response.statusCode(), response.body());
  }

  static HandoverResult parseHandover(URI uri, int status, String body) throws IOException {
    HandoverAnswer answer;
    try {
      answer = AdminJson.readHandover(body);
    } catch (IOException e) {
      throw new IOException(
          "POST " + uri + ": HTTP " + status + ", unreadable answer: " + abbreviate(body), e);
    }
    return new HandoverResult(status, answer.outcome(), answer.reason(), answer.roleAfter());
  }

  private static HttpRequest.Builder authorized(HttpRequest.Builder b, AdminToken token) {
    return token.isPresent() ? b.header(AdminApi.AUTHORIZATION, token.authorization()) : b;
  }

  private static String abbreviate(String body) {
    String s = body == null ? "" : body.strip();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
