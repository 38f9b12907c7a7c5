package io.dqlite.sidecar.app;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.sidecar.roles.ProbeResult;
import io.dqlite.sidecar.roles.RolesChanges;
import io.dqlite.sidecar.roles.TransferTargets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The steps of one handover, in order, and when the node may demote itself while it still leads:
 * pure decisions on a {@link RolesChanges} snapshot.
 *
 * <p>A leader with another online voter transfers leadership <em>first</em>, while the cluster
 * still has its usual voters (go-dqlite promotes first). With 3 voters the transferee's election
 * needs only the vote of the old leader, which it reaches over the connections the two use for
 * replication all the time. With the candidate promoted first there are 4 voters, the election
 * needs a third vote, and that vote travels between two followers that may not have exchanged a
 * message since one of them restarted: libraft 0.15's transport notices a dead connection only when
 * a write fails, so the vote request or its answer is lost, the transfer runs into raft's timeout
 * (3 s) and an election follows (measured 5 to 15 s without writes, docs/benchmarks.md "Handover
 * window").
 *
 * <p>A leader that is the only online voter (a cluster of 2: one voter and a spare) has nobody to
 * transfer to: it promotes its replacement first, transfers leadership to it, and only then demotes
 * itself, which is go-dqlite's order. Demoting itself while it leads would leave the cluster
 * waiting an election timeout for a leader. With no replacement it keeps its role.
 */
enum HandoverPlan {
  /** Transfer leadership to another online voter (the promoted one, after a PROMOTE). */
  TRANSFER,
  /** Give this node's role to the best online candidate. */
  PROMOTE,
  /** Demote this node to spare. */
  DEMOTE;

  /** The steps for this node in this snapshot; {@code leader}: whether this node leads. */
  static List<HandoverPlan> steps(RolesChanges changes, long selfId, boolean leader) {
    boolean otherVoter = leader && !TransferTargets.of(changes, selfId).isEmpty();
    return steps(leader, changes.handover(selfId).isPresent(), otherVoter);
  }

  /**
   * @param leader whether this node is the leader
   * @param roleToPass whether it is a voter or stand-by with an online candidate for its role
   * @param otherVoterOnline whether another voter answered the probe (a transfer target)
   */
  static List<HandoverPlan> steps(boolean leader, boolean roleToPass, boolean otherVoterOnline) {
    if (leader && otherVoterOnline) {
      return roleToPass ? List.of(TRANSFER, PROMOTE, DEMOTE) : List.of(TRANSFER);
    }
    if (leader) {
      // The only online voter: nobody can lead after it unless it first makes a voter.
      return roleToPass ? List.of(PROMOTE, TRANSFER, DEMOTE) : List.of();
    }
    return roleToPass ? List.of(PROMOTE, DEMOTE) : List.of();
  }

  /**
   * The snapshot with the nodes in {@code exclude} taken as offline (never {@code selfId}): members
   * the operator is about to remove must not become the leader or take this node's role, which they
   * would lose again at once. Offline nodes are neither transfer targets nor promotion candidates,
   * and a leader counts them out of the majority it needs to demote itself.
   */
  static RolesChanges excluding(RolesChanges changes, Set<Long> exclude, long selfId) {
    if (exclude.isEmpty()) {
      return changes;
    }
    Map<Long, ProbeResult> probes = new HashMap<>();
    for (NodeInfo n : changes.members()) {
      if (n.id() == selfId || !exclude.contains(n.id())) {
        changes.probe(n.id()).ifPresent(p -> probes.put(n.id(), p));
      }
    }
    return new RolesChanges(changes.config(), changes.members(), probes);
  }

  /**
   * Whether a node that still leads after every transfer failed should demote itself anyway, so
   * that the voters go back to the target: when the voters left without it (the one promoted in
   * this handover included) have an online majority. Raft commits the demotion with the new
   * configuration's majority and the old leader then steps down (an election follows), which is
   * what go-dqlite v1.11.9 ends up doing after a failed transfer. Without that majority the
   * demotion could not commit, and the node keeps its role (the new leader demotes it once it is
   * offline).
   *
   * @param promotedId the node promoted to this node's role in this handover
   */
  static boolean demoteWhileLeading(RolesChanges changes, long selfId, long promotedId) {
    Set<Long> voters = new HashSet<>();
    for (NodeInfo n : changes.members()) {
      if (n.id() != selfId && (n.role() == NodeRole.VOTER || n.id() == promotedId)) {
        voters.add(n.id());
      }
    }
    long online = voters.stream().filter(changes::isOnline).count();
    return !voters.isEmpty() && online * 2 > voters.size();
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
        .anyMatch(
            n ->
                n.role() == NodeRole.SPARE
                    || (role.get() == NodeRole.VOTER && n.role() == NodeRole.STANDBY));
  }
}
