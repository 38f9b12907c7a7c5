package io.dqlite.sidecar.roles;

import static io.dqlite.client.model.NodeRole.VOTER;

import io.dqlite.client.model.NodeInfo;
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
 *   <li>lower weight first, as for promotions;
 *   <li>then the quicker answer to the probe, in steps of {@link #ANSWER_STEP_MILLIS}: a voter
 *       restarted a little earlier may have every entry in its log (raft lets the transfer go
 *       ahead) and yet still be applying thousands of them on dqlite's one event-loop thread; as
 *       the leader it would then hold every write until done (measured: 4 to 6 s windows on a
 *       loaded machine, with a transfer that took 6 ms). Such a node answers the probe late. The
 *       steps keep ordinary jitter between healthy nodes from reordering them;
 *   <li>then the members' listing order.
 * </ol>
 *
 * <p>The snapshot has to be taken before the handover promotes anyone: a voter promoted moments
 * earlier may not have caught up, and with the extra voter the transferee needs a vote from a
 * follower it may not have talked to since that follower restarted (see {@code
 * docs/go-dqlite-differences.md}, "App: the leader transfers first").
 */
public final class TransferTargets {

  /** Probe answer times are compared in steps of this many milliseconds. */
  public static final long ANSWER_STEP_MILLIS = 100;

  private TransferTargets() {}

  /** The voters to try, best first; empty when no other voter is online. */
  public static List<NodeInfo> of(RolesChanges changes, long leaderId) {
    Comparator<NodeInfo> byWeight =
        (a, b) ->
            Long.compareUnsigned(
                changes.probe(a.id()).orElseThrow().weight(),
                changes.probe(b.id()).orElseThrow().weight());
    Comparator<NodeInfo> byAnswer =
        Comparator.comparingLong(
            n -> changes.probe(n.id()).orElseThrow().answerMillis() / ANSWER_STEP_MILLIS);
    return changes.members().stream()
        .filter(n -> n.role() == VOTER && n.id() != leaderId && changes.isOnline(n.id()))
        .sorted(byWeight.thenComparing(byAnswer))
        .toList();
  }
}
