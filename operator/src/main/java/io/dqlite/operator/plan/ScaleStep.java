package io.dqlite.operator.plan;

/** The one thing to do next to bring the pod count and the raft membership to the spec. */
public sealed interface ScaleStep {

  /** A human-readable reason, for the Progressing condition and the log. */
  String reason();

  /**
   * Ask the pod's sidecar to hand over ({@code POST /handover}): leadership to another voter, its
   * role to an online stand-by or spare, then demote itself to spare.
   */
  record Drain(int ordinal, long id, String reason) implements ScaleStep {}

  /** Remove the member from raft, through the leader. */
  record Remove(int ordinal, long id, String reason) implements ScaleStep {}

  /**
   * Remove a stale member, through the leader: its pod now runs a new node ({@code nodeId}) that
   * cannot join while the member holds its address ({@link Replacement}).
   */
  record Replace(int ordinal, long staleId, long nodeId, String reason) implements ScaleStep {}

  /** Lower the StatefulSet's replicas: every member above it has left raft. */
  record Shrink(int replicas, String reason) implements ScaleStep {}

  /**
   * Delete the pod's claim (and the pod, if it runs), so that it starts again on an empty volume
   * and joins as a new member; then mark the removal recycled ({@link ScalePlanner#markRecycled}).
   * Needed when a pod whose member was removed is wanted again.
   */
  record Recycle(int ordinal, String reason) implements ScaleStep {}

  /** Raise the StatefulSet's replicas. */
  record Grow(int replicas, String reason) implements ScaleStep {}

  /** Nothing can be done safely now; look again later. */
  record Wait(String reason) implements ScaleStep {}

  /** Pods and membership match the spec. */
  record Done() implements ScaleStep {
    @Override
    public String reason() {
      return "pods and raft membership match the spec";
    }
  }
}
