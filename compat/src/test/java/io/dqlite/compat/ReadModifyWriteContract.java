package io.dqlite.compat;

import org.junit.jupiter.api.Test;

/**
 * The load every framework's suite runs: {@link CompatSupport#THREADS} threads of {@link
 * CompatSupport#UNITS} read-modify-write units, all committed with exact counters, once plainly and
 * once across a leadership handover. A suite supplies how its framework runs the load.
 */
public abstract class ReadModifyWriteContract {

  /** The framework's name in database names: {@code hibernate}, {@code jooq}, {@code spring}. */
  protected abstract String framework();

  /** Runs the load on a fresh database {@code database}, handing leadership over if asked. */
  protected abstract CompatSupport.Load load(String database, boolean handover) throws Exception;

  @Test
  void sixteenThreadsOfReadModifyWriteAllCommit() throws Exception {
    CompatSupport.assertAllCommit(load(framework() + "_rmw_plain", false));
  }

  @Test
  void sixteenThreadsOfReadModifyWriteAllCommitAcrossAHandover() throws Exception {
    CompatSupport.assertAllCommitAcrossHandovers(load(framework() + "_rmw_handover", true));
  }
}
