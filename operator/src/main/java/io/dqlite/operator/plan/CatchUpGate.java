package io.dqlite.operator.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the members a rolling update already restarted have caught up with the leader, so that
 * the next pod may restart. Pure.
 *
 * <p>Readiness alone does not say it: a restarted member is Ready once it has joined and found a
 * leader, while its log may still be far behind, and restarting the next voter then leaves the
 * leader one voter short of a majority that holds the newest entries. The proof is taken from the
 * leader's side: the leader's sidecar is asked where its raft log ends <em>first</em>, then each
 * restarted member's sidecar; a member has caught up when its own last index on disk reached the
 * index the leader had when asked. Positions come from the sidecars' {@code self.raftLog}
 * (docs/sidecar.md), read from each node's data directory, since no libdqlite call tells a running
 * node's index.
 *
 * <p>Rows, in order: nothing restarted yet (or only spares, which receive no entries): go. The
 * leader's sidecar did not answer or could not read its log: wait. The leader's sidecar predates
 * the field (an upgrade from an older sidecar image; the leader restarts last): go on readiness
 * alone, and say so. A restarted member did not answer or could not read its log: wait; it predates
 * the field: go, saying so. A member behind the leader's sampled index: wait, naming both indexes.
 * Every member at or past it: go.
 */
public final class CatchUpGate {

  private CatchUpGate() {}

  /** What one sidecar said about its raft log. */
  public sealed interface Reading {
    /** The last index on its disk. */
    record At(long index) implements Reading {}

    /** Its answer has no {@code raftLog}: a sidecar older than the field. */
    record Unreported() implements Reading {}

    /** No usable answer: not reachable, or the log could not be read. */
    record Unknown(String why) implements Reading {}
  }

  /**
   * The gate's answer.
   *
   * @param caughtUp whether the next pod may restart as far as catch-up goes
   * @param reason one line for the status, events and logs
   */
  public record Verdict(boolean caughtUp, String reason) {}

  /**
   * @param leaderPod the leader's pod name, for messages
   * @param leader the leader's reading, taken before any member's
   * @param restarted the readings of the restarted members (pod name to reading; voters and
   *     stand-bys on the update revision other than the leader), taken after the leader's
   */
  public static Verdict decide(String leaderPod, Reading leader, Map<String, Reading> restarted) {
    if (restarted.isEmpty()) {
      return new Verdict(true, "no restarted member to wait for");
    }
    if (leader instanceof Reading.Unknown u) {
      return new Verdict(
          false, "the leader's raft index is unknown (" + leaderPod + ": " + u.why() + ")");
    }
    if (leader instanceof Reading.Unreported) {
      return new Verdict(
          true,
          "the leader's sidecar ("
              + leaderPod
              + ") reports no raft log position (an older sidecar): restarted members are taken"
              + " as caught up once Ready");
    }
    long target = ((Reading.At) leader).index();
    List<String> behind = new ArrayList<>();
    List<String> unreported = new ArrayList<>();
    for (Map.Entry<String, Reading> e : restarted.entrySet()) {
      Reading r = e.getValue();
      if (r instanceof Reading.Unknown u) {
        return new Verdict(
            false,
            "the raft index of restarted "
                + e.getKey()
                + " is unknown ("
                + u.why()
                + "); the leader was at "
                + target);
      } else if (r instanceof Reading.Unreported) {
        unreported.add(e.getKey());
      } else if (((Reading.At) r).index() < target) {
        behind.add(e.getKey() + " at " + ((Reading.At) r).index());
      }
    }
    if (!behind.isEmpty()) {
      return new Verdict(
          false,
          "restarted "
              + String.join(", ", behind)
              + ": behind the raft index "
              + target
              + " the leader "
              + leaderPod
              + " had when asked");
    }
    String caught =
        "restarted members caught up with the raft index " + target + " of the leader " + leaderPod;
    return new Verdict(
        true,
        unreported.isEmpty()
            ? caught
            : caught
                + "; "
                + String.join(", ", unreported)
                + " report no position (an older sidecar), taken as caught up once Ready");
  }
}
