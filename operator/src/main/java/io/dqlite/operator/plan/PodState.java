package io.dqlite.operator.plan;

import java.util.Objects;

/**
 * A pod of the StatefulSet as the rolling-update gate sees it.
 *
 * @param ordinal the pod's ordinal
 * @param revision its {@code controller-revision-hash} label
 * @param ready whether its Ready condition is true
 * @param terminating whether it has a deletion timestamp
 */
public record PodState(int ordinal, String revision, boolean ready, boolean terminating) {

  public PodState {
    Objects.requireNonNull(revision, "revision");
  }
}
