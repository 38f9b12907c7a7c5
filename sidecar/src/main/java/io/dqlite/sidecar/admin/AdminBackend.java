package io.dqlite.sidecar.admin;

import io.dqlite.sidecar.api.HandoverAnswer;

/** What the admin endpoints answer with; the daemon implements it. */
public interface AdminBackend {

  /** An answer: HTTP status and a JSON-able body (the admin API's records, or text for probes). */
  record Answer(int status, Object body) {
    public static Answer ok(Object body) {
      return new Answer(200, body);
    }
  }

  /** The raft id of the node served: {@code POST /handover?node=} must name it. */
  long nodeId();

  /** {@code GET /livez}: 200 while the process runs and the node started. */
  Answer live();

  /** {@code GET /readyz}: 200 when ready, 503 with the reason otherwise. */
  Answer ready();

  /** {@code GET /metrics}: Prometheus text. */
  String metrics();

  /** {@code GET /cluster}: members, leader and self. */
  Answer cluster();

  /**
   * {@code POST /handover}: 200 with the result, 409 or 500 with the reason.
   *
   * @param exclude nodes that must receive neither leadership nor the role (about to be removed)
   */
  Answer handover(java.util.Set<Long> exclude);

  /** A body with one {@code reason} field, for failures. */
  static HandoverAnswer reason(String reason) {
    return HandoverAnswer.refused(reason);
  }
}
