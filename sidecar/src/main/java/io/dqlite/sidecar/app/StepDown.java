package io.dqlite.sidecar.app;

import io.dqlite.client.Client;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.sidecar.roles.RolesChanges;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * What a node does, on each tick of the App's loop, while its {@link FitnessCheck} names a problem
 * (e.g. a data directory about to be full, where raft can append no entry and every write fails):
 *
 * <ul>
 *   <li>it sets its own weight to {@link RolesChanges#UNFIT_WEIGHT}, so that every leader promotes
 *       it last and transfers leadership to it last (its weight is restored once it is fit again);
 *   <li>as the leader or a voter it hands leadership and its voter role over ({@link App#handover}:
 *       transfer, promote a stand-by or spare, demote itself), at most every {@link #RETRY}. A
 *       stand-by keeps its role: it neither votes nor leads, and its handover would only make the
 *       leader promote it again at once.
 * </ul>
 *
 * Not in go-dqlite, whose leader keeps leading with a full disk and fails every write (found by the
 * fault suite, docs/reliability.md). The decisions are {@link #decide}'s; this class applies them.
 */
final class StepDown {

  /** The deadline of one handover caused by unfitness. */
  static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(20);

  /** The least time between two such handovers (one that found nobody to take over, say). */
  static final Duration RETRY = Duration.ofSeconds(10);

  /**
   * What to do on one tick.
   *
   * @param mark set the weight to {@link RolesChanges#UNFIT_WEIGHT}
   * @param unmark restore the weight the node had before
   * @param handOver hand leadership and the voter role over
   */
  record Decision(boolean mark, boolean unmark, boolean handOver) {
    static final Decision NOTHING = new Decision(false, false, false);
  }

  /**
   * The decision for one tick: pure.
   *
   * @param unfit whether the fitness check names a problem now
   * @param marked whether the node's weight is {@link RolesChanges#UNFIT_WEIGHT} now
   * @param role the node's role in the leader's member list; empty when not listed
   * @param leading whether the node leads
   * @param sinceHandover time since this class last handed over; null if never
   */
  static Decision decide(
      boolean unfit,
      boolean marked,
      Optional<NodeRole> role,
      boolean leading,
      Duration sinceHandover) {
    if (!unfit) {
      return marked ? new Decision(false, true, false) : Decision.NOTHING;
    }
    boolean votes = leading || role.orElse(null) == NodeRole.VOTER;
    boolean due = sinceHandover == null || sinceHandover.compareTo(RETRY) >= 0;
    return new Decision(!marked, false, votes && due);
  }

  private final App app;
  private boolean marked;
  private long savedWeight;
  private String lastProblem;
  private long lastHandover;
  private boolean handedOver;

  StepDown(App app) {
    this.app = app;
  }

  /**
   * One tick, on the loop thread, with the leader's member list and the leader.
   *
   * @throws InterruptedException when the App is stopping
   */
  void tick(List<NodeInfo> servers, Optional<NodeInfo> leader) throws InterruptedException {
    Optional<String> problem = app.options().fitness().problem();
    logTransition(problem);
    Optional<NodeRole> role =
        servers.stream().filter(n -> n.id() == app.id()).map(NodeInfo::role).findFirst();
    boolean leading = leader.map(l -> l.id() == app.id()).orElse(false);
    Duration since = handedOver ? Duration.ofNanos(System.nanoTime() - lastHandover) : null;
    Decision d = decide(problem.isPresent(), marked, role, leading, since);
    if (d.mark() || d.unmark()) {
      setWeight(d.mark());
    }
    if (d.handOver()) {
      handOver(problem.get(), leading);
    }
  }

  private void logTransition(Optional<String> problem) {
    // Once per change between fit and unfit: the problem's text may change at every tick.
    String now = problem.orElse(null);
    if (now != null && lastProblem == null) {
      app.log(
          Level.WARN,
          "unfit to vote or lead: "
              + now
              + "; handing leadership and the voter role over while it lasts");
    } else if (now == null && lastProblem != null) {
      app.log(Level.INFO, "fit again (was: " + lastProblem + ")");
    }
    lastProblem = now;
  }

  /** Marks (or unmarks) this node through its own socket; a failure is retried next tick. */
  private void setWeight(boolean mark) {
    try (Client c = app.client()) {
      if (mark) {
        long current = c.describe().weight();
        savedWeight = RolesChanges.isUnfit(current) ? 0 : current;
        c.weight(RolesChanges.UNFIT_WEIGHT);
        app.log(
            Level.INFO,
            "weight set to "
                + Long.toUnsignedString(RolesChanges.UNFIT_WEIGHT)
                + " (unfit) from "
                + Long.toUnsignedString(savedWeight));
      } else {
        c.weight(savedWeight);
        app.log(Level.INFO, "weight back to " + Long.toUnsignedString(savedWeight));
      }
      marked = mark;
    } catch (DqliteException e) {
      app.log(Level.WARN, "set this node's weight: " + e.getMessage() + " (retried next tick)");
    }
  }

  private void handOver(String problem, boolean leading) throws InterruptedException {
    handedOver = true;
    lastHandover = System.nanoTime();
    app.log(
        Level.WARN,
        (leading ? "leader" : "voter")
            + " unfit ("
            + problem
            + "): handing over within "
            + HANDOVER_TIMEOUT.toSeconds()
            + " s");
    try {
      if (!app.handoverIfIdle(HANDOVER_TIMEOUT)) {
        app.log(
            Level.INFO, "another handover is running; trying again in " + RETRY.toSeconds() + " s");
      }
    } catch (DqliteException e) {
      app.log(
          Level.WARN,
          "handover of an unfit node: "
              + e.getMessage()
              + " (tried again in "
              + RETRY.toSeconds()
              + " s)");
    }
  }
}
