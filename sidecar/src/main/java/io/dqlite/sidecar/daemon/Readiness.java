package io.dqlite.sidecar.daemon;

import io.dqlite.client.model.NodeRole;
import java.util.Optional;

/**
 * The readiness rule of {@code GET /readyz}. A node is ready when all of these hold:
 *
 * <ol>
 *   <li>the App finished its start-up tasks (joined, took a role if the cluster lacked one);
 *   <li>it is not handing over and not shutting down;
 *   <li>the last cluster view (refreshed every status interval) reached a leader;
 *   <li>the leader's configuration lists this node, with any role: voter, stand-by or spare (a
 *       spare's app socket serves clients as well as a voter's, and the leader, not the pod,
 *       decides roles).
 * </ol>
 *
 * Consequence: while the cluster has no quorum no pod is ready. Peer discovery must therefore not
 * depend on readiness (headless Service with {@code publishNotReadyAddresses: true}).
 */
public final class Readiness {

  private Readiness() {}

  /** The answer: ready or not, and why not. */
  public record Verdict(boolean ready, String reason) {
    static Verdict yes(String why) {
      return new Verdict(true, why);
    }

    static Verdict no(String why) {
      return new Verdict(false, why);
    }
  }

  /** Applies the rule. */
  public static Verdict of(
      boolean appReady, boolean handingOver, boolean stopping, long selfId, ClusterStatus status) {
    if (stopping) {
      return Verdict.no("shutting down");
    }
    if (handingOver) {
      return Verdict.no("handing over");
    }
    if (!appReady) {
      return Verdict.no("not ready: joining the cluster (start-up tasks not done)");
    }
    if (status.error().isPresent()) {
      return Verdict.no("not ready: " + status.error().get());
    }
    Optional<NodeRole> role = status.member(selfId).map(ClusterStatus.Member::role);
    if (role.isEmpty()) {
      return Verdict.no("not ready: the leader does not list this node as a member");
    }
    return Verdict.yes(
        "ready: " + role.get() + ", leader " + status.leader().map(l -> l.address()).orElse("?"));
  }
}
