package io.dqlite.operator.crd;

/** The condition types of {@link DqliteClusterStatus}, each with status True, False or Unknown. */
public final class ConditionTypes {

  /** Every pod is ready and every member online. */
  public static final String READY = "Ready";

  /** Raft has a leader and a quorum of voters online: the database accepts writes. */
  public static final String AVAILABLE = "Available";

  /** The operator is creating, scaling or rolling pods toward the spec. */
  public static final String PROGRESSING = "Progressing";

  /** Something needs attention: a node offline, fewer voters than asked for, a failed step. */
  public static final String DEGRADED = "Degraded";

  /**
   * The voters sit in as many failure domains (as the nodes report them) as the pods span zones,
   * capped at the voter count.
   */
  public static final String VOTER_TOPOLOGY = "VoterTopology";

  private ConditionTypes() {}
}
