package io.dqlite.operator.plan;

import io.dqlite.operator.crd.ScaleDownStatus;
import java.util.List;

/**
 * What to do next, and the bookkeeping to write to {@code status.scaleDown} before doing it.
 *
 * @param next the one step to take now; take it, then plan again from fresh observations
 * @param condemned the ordinals of members still to leave raft, in the order they will leave
 * @param bookkeeping the new {@code status.scaleDown}; null when nothing is pending
 */
public record ScalePlan(ScaleStep next, List<Integer> condemned, ScaleDownStatus bookkeeping) {

  public ScalePlan {
    condemned = List.copyOf(condemned);
  }
}
