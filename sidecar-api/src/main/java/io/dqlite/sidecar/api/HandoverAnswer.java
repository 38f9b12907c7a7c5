package io.dqlite.sidecar.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dqlite.sidecar.api.SidecarView.NodeRef;

/**
 * The body of the sidecar's answer to {@code POST /handover?node=<id>} (absent fields are not
 * written): 200 {@code {outcome: success, durationMs, leaderBefore, leaderAfter, roleBefore,
 * roleAfter}}; 500 {@code {outcome: failure, reason}}; 409 (refused: not ready, shutting down,
 * already running, another node) and 401/403 (token) {@code {reason}} alone.
 *
 * @param outcome {@code success} or {@code failure}; null when refused
 * @param durationMs how long the handover took
 * @param leaderBefore the leader before, as the sidecar last saw it
 * @param leaderAfter the leader after
 * @param roleBefore the node's role before ({@code voter}, {@code stand-by}, {@code spare})
 * @param roleAfter the node's role after
 * @param reason why it failed or was refused
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HandoverAnswer(
    String outcome,
    Long durationMs,
    NodeRef leaderBefore,
    NodeRef leaderAfter,
    String roleBefore,
    String roleAfter,
    String reason) {

  public static final String SUCCESS = "success";
  public static final String FAILURE = "failure";

  /** A handover that ran to its end. */
  public static HandoverAnswer success(
      long durationMs,
      NodeRef leaderBefore,
      NodeRef leaderAfter,
      String roleBefore,
      String roleAfter) {
    return new HandoverAnswer(
        SUCCESS, durationMs, leaderBefore, leaderAfter, roleBefore, roleAfter, null);
  }

  /** A handover that ran and failed. */
  public static HandoverAnswer failure(String reason) {
    return new HandoverAnswer(FAILURE, null, null, null, null, null, reason);
  }

  /** A request refused before any handover ran; also the body of every other refusal. */
  public static HandoverAnswer refused(String reason) {
    return new HandoverAnswer(null, null, null, null, null, null, reason);
  }
}
