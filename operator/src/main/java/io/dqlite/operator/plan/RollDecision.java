package io.dqlite.operator.plan;

/** The rolling-update gate's answer. */
public sealed interface RollDecision {

  String reason();

  /** Delete this pod now; the StatefulSet recreates it on the update revision. */
  record Restart(int ordinal, String reason) implements RollDecision {}

  /** No pod may restart now. */
  record Wait(String reason) implements RollDecision {}

  /** Every pod runs the update revision. */
  record Done() implements RollDecision {
    @Override
    public String reason() {
      return "every pod runs the update revision";
    }
  }
}
