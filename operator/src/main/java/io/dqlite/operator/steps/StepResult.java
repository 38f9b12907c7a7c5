package io.dqlite.operator.steps;

import io.dqlite.operator.crd.ScaleDownStatus;
import io.dqlite.operator.status.ClusterEvent;
import java.util.List;
import java.util.Optional;

/**
 * What taking a step did.
 *
 * @param acted whether anything was changed (then the next look comes soon)
 * @param failure what failed and why, if it did
 * @param events the Events to record
 * @param bookkeeping the {@code status.scaleDown} after the step
 */
public record StepResult(
    boolean acted,
    Optional<String> failure,
    List<ClusterEvent> events,
    ScaleDownStatus bookkeeping) {

  public StepResult {
    events = List.copyOf(events);
  }

  /** Nothing was done. */
  public static StepResult idle(ScaleDownStatus bookkeeping) {
    return new StepResult(false, Optional.empty(), List.of(), bookkeeping);
  }
}
