package io.dqlite.sidecar.app;

import io.dqlite.client.NodeInfo;
import io.dqlite.client.NodeRole;
import io.dqlite.sidecar.roles.RolesChanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The steps of one handover, in order: a pure decision from whether the node leads and whether it
 * has a role to pass on.
 *
 * <p>The leader transfers leadership <em>first</em>, while the cluster still has its usual voters
 * (go-dqlite promotes first). With 3 voters the transferee's election needs only the vote of the
 * old leader, which it reaches over the connections the two use for replication all the time. With
 * the candidate promoted first there are 4 voters, the election needs a third vote, and that vote
 * travels between two followers that may not have exchanged a message since one of them restarted:
 * libraft 0.15's transport notices a dead connection only when a write fails, so the vote request
 * or its answer is lost, the transfer runs into raft's timeout (3 s) and an election follows
 * (measured 5 to 15 s without writes, docs/benchmarks.md "Handover window").
 */
enum HandoverPlan {
  /** Transfer leadership to another online voter. */
  TRANSFER,
  /** Give this node's role to the best online candidate. */
  PROMOTE,
  /** Demote this node to spare. */
  DEMOTE;

  /**
   * @param leader whether this node is the leader
   * @param roleToPass whether it is a voter or stand-by with an online candidate for its role
   */
  static List<HandoverPlan> steps(boolean leader, boolean roleToPass) {
    return build(leader, roleToPass);
  }

  /**
   * Whether a voter or stand-by that found nobody to take its role should probe once more: some
   * stand-by or spare, which would be a candidate, did not answer. A node that has just restarted
   * is often busy catching up (applying thousands of entries on dqlite's one event-loop thread) and
   * misses the 2 s probe; without a second look the role is not passed on and the leader stops at
   * once, leaving the new leader to commit with a follower it may not have reached yet.
   */
  static boolean probeAgain(RolesChanges changes, long id) {
    Optional<NodeRole> role =
        changes.members().stream().filter(n -> n.id() == id).map(NodeInfo::role).findFirst();
    if (role.isEmpty() || role.get() == NodeRole.SPARE || changes.handover(id).isPresent()) {
      return false;
    }
    return changes.members().stream()
        .filter(n -> n.id() != id && !changes.isOnline(n.id()))
        .anyMatch(n -> n.role() == NodeRole.SPARE
            || (role.get() == NodeRole.VOTER && n.role() == NodeRole.STANDBY));
  }

  private static List<HandoverPlan> build(boolean leader, boolean roleToPass) {
    List<HandoverPlan> steps = new ArrayList<>();
    if (leader) {
      steps.add(TRANSFER);
    }
    if (roleToPass) {
      steps.add(PROMOTE);
      steps.add(DEMOTE);
    }
    return List.copyOf(steps);
  }
}
