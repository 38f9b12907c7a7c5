package io.dqlite.operator.plan;

import java.util.Objects;

/**
 * A pod of the StatefulSet as the rolling-update gate sees it.
 *
 * @param ordinal the pod's ordinal
 * @param revision its {@code controller-revision-hash} label
 * @param ready whether its Ready condition is true
 * @param terminating whether it has a deletion timestamp
 * @param running whether its containers run (phase Running, none waiting or terminated): a pod that
 *     is not running cannot be taking part in an election
 */
public record PodState(
    int ordinal, String revision, boolean ready, boolean terminating, boolean running) {

  public PodState {
    Objects.requireNonNull(revision, "revision");
  }

  /** A running pod. */
  public PodState(int ordinal, String revision, boolean ready, boolean terminating) {
    this(ordinal, revision, ready, terminating, true);
  }
}
