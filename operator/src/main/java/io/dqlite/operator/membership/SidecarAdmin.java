package io.dqlite.operator.membership;

import io.dqlite.sidecar.api.SidecarView;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** The sidecar's admin endpoints the operator uses; {@link HttpSidecarAdmin} in production. */
public interface SidecarAdmin {

  /**
   * {@code GET /cluster}. Completes with the view (also for a 503 answer, which carries {@code
   * error}), or exceptionally when the sidecar cannot be reached or answers something else.
   *
   * @param admin the sidecar's admin base URI, e.g. {@code http://10.0.0.5:8081}
   * @param token the cluster's admin token
   */
  CompletableFuture<SidecarView> cluster(URI admin, AdminToken token);

  /**
   * {@code POST /handover?node=<nodeId>}: the node hands leadership and its role over, then demotes
   * itself to spare. Blocks until the sidecar answers (a handover may take up to its timeout). A
   * sidecar running another node (a reused pod IP) refuses with 409.
   *
   * @param nodeId the raft id of the node the operator means
   * @throws IOException when the sidecar cannot be reached or its answer cannot be read
   */
  HandoverResult handover(URI admin, AdminToken token, long nodeId)
      throws IOException, InterruptedException;

  /**
   * The same, with {@code &exclude=<ids>}: the nodes that must receive neither leadership nor the
   * node's role, because the operator is about to remove them. A sidecar that predates the
   * parameter ignores it.
   */
  default HandoverResult handover(
      URI admin, AdminToken token, long nodeId, java.util.Set<Long> exclude)
      throws IOException, InterruptedException {
    return handover(admin, token, nodeId);
  }

  /**
   * The sidecar's answer to a handover.
   *
   * @param httpStatus 200 on success, 409 when refused (not ready, shutting down, already running,
   *     another node), 401 or 403 when the token is refused, 500 on failure
   * @param outcome {@code success} or {@code failure}; null when refused
   * @param reason why it was refused or failed; null on success
   * @param roleAfter the node's role afterwards, as the sidecar names it
   */
  record HandoverResult(int httpStatus, String outcome, String reason, String roleAfter) {
    public boolean succeeded() {
      return httpStatus == 200;
    }

    /** One line for logs, events and conditions. */
    public String describe() {
      return succeeded()
          ? "handed over" + (roleAfter == null ? "" : ", now " + roleAfter)
          : "handover refused or failed (HTTP " + httpStatus + "): " + reason;
    }
  }
}
