package io.dqlite.sidecar.app;

import java.util.Optional;

/**
 * Whether this node can do a voter's work now. The App asks on every tick of its loop once it is
 * ready; while the answer names a problem, the node marks itself with {@link
 * io.dqlite.sidecar.roles.RolesChanges#UNFIT_WEIGHT} (so that no leader picks it first as a voter
 * or a transfer target) and, as a voter, hands leadership and its role over (see {@link StepDown}).
 * Not a go-dqlite option.
 */
@FunctionalInterface
public interface FitnessCheck {

  /**
   * Why this node must not lead or vote now (e.g. its data directory is nearly full), or empty when
   * it is fit. Called on the App's loop thread: keep it cheap and never blocking for long.
   */
  Optional<String> problem();

  /** The default: always fit. */
  FitnessCheck ALWAYS_FIT = Optional::empty;
}
