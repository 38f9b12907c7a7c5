package io.dqlite.sidecar.roles;

import static io.dqlite.client.NodeRole.VOTER;

import io.dqlite.client.NodeInfo;
import java.util.Comparator;
import java.util.List;

/**
 * To which voter a leader about to stop should transfer leadership, best first. A pure decision on
 * a {@link RolesChanges} snapshot taken before any role changed in the handover.
 *
 * <ol>
 *   <li>only voters other than the leader: raft refuses any other target;
 *   <li>only online ones (they answered the probe): raft would wait its whole transfer timeout (the
 *       election timeout, 3 s in libdqlite 1.11.1) for an offline one before giving up;
 *   <li>lower weight first, as for promotions; then the members' listing order.
 * </ol>
 *
 * <p>The snapshot has to be taken before the handover promotes anyone: a voter promoted moments
 * earlier may not have caught up, and with the extra voter the transferee needs a vote from a
 * follower it may not have talked to since that follower restarted (see {@code
 * docs/go-dqlite-differences.md}, "App: the leader transfers first").
 */
public final class TransferTargets {

  private TransferTargets() {}

  /** The voters to try, best first; empty when no other voter is online. */
  public static List<NodeInfo> of(RolesChanges changes, long leaderId) {
    Comparator<NodeInfo> byWeight =
        (a, b) ->
            Long.compareUnsigned(
                changes.probe(a.id()).orElseThrow().weight(),
                changes.probe(b.id()).orElseThrow().weight());
    return changes.members().stream()
        .filter(n -> n.role() == VOTER && n.id() != leaderId && changes.isOnline(n.id()))
        .sorted(byWeight)
        .toList();
  }
}
