package io.dqlite.sidecar.daemon;

import io.dqlite.client.NodeRole;
import java.util.Optional;

/**
 * The readiness rule of {@code GET /readyz}. A node is ready when all of these hold:
 *
 * <ol>
 *   <li>the App finished its start-up tasks (joined, took a role if the cluster lacked one);
 *   <li>it is not handing over and not shutting down;
 *   <li>the last cluster view (refreshed every status interval) reached a leader;
 *   <li>the leader's configuration lists this node, with any role: voter, stand-by or spare (a
 *       spare's app socket serves clients as well as a voter's, and the leader, not the pod, decides
 *       roles).
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
    return of(appReady, handingOver, stopping, selfId, null, status);
  }

  /**
   * Applies the rule; while joining, says when another member holds this node's address (this node
   * is a new node where one lost its data: raft refuses to add it until that member is removed).
   *
   * @param selfAddress this node's raft address, or null
   */
  public static Verdict of(
      boolean appReady,
      boolean handingOver,
      boolean stopping,
      long selfId,
      String selfAddress,
      ClusterStatus status) {
    if (stopping) {
      return Verdict.no("shutting down");
    }
    if (handingOver) {
      return Verdict.no("handing over");
    }
    if (!appReady) {
      Optional<ClusterStatus.Member> holder =
          status.member(selfId).isPresent() || selfAddress == null
              ? Optional.empty()
              : status.members().stream()
                  .filter(m -> m.address().equals(selfAddress) && m.id() != selfId)
                  .findFirst();
      if (holder.isPresent()) {
        return Verdict.no(
            "not ready: joining the cluster, but member "
                + holder.get().hexId()
                + " holds this node's address "
                + selfAddress
                + " (a node that lost its data?): raft adds this node only once that member is"
                + " removed (the operator replaces it; by hand: .remove "
                + holder.get().hexId()
                + " in the dqlite shell)");
      }
      return Verdict.no("not ready: joining the cluster (start-up tasks not done)");
    }
    if (status.error().isPresent()) {
      return Verdict.no("not ready: " + status.error().get());
    }
    Optional<NodeRole> role = status.member(selfId).map(ClusterStatus.Member::role);
    if (role.isEmpty()) {
      return Verdict.no("not ready: the leader does not list this node as a member");
    }
    return Verdict.yes("ready: " + role.get() + ", leader "
        + status.leader().map(l -> l.address()).orElse("?"));
  }
}
