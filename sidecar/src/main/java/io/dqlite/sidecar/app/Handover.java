package io.dqlite.sidecar.app;

import io.dqlite.client.Client;
import io.dqlite.client.DqliteException;
import io.dqlite.client.DqliteTimeoutException;
import io.dqlite.client.NodeInfo;
import io.dqlite.client.NodeRole;
import io.dqlite.sidecar.roles.RoleChange;
import io.dqlite.sidecar.roles.RolesChanges;
import io.dqlite.sidecar.roles.TransferTargets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * One run of {@link App#handover}: go-dqlite's {@code Handover} (app/app.go, v1.11.9), with the
 * steps in the order {@link HandoverPlan} gives.
 *
 * <ol>
 *   <li>find the leader; fetch the members and probe them; decide whether this node has a role to
 *       pass on ({@link RolesChanges#handover}) and, if it leads, to which voters it may transfer
 *       leadership ({@link TransferTargets});
 *   <li>the leader transfers leadership, trying each target until one accepts (go-dqlite tries
 *       only the first), then finds the new leader;
 *   <li>a voter or stand-by gets the best online candidate promoted to its role, through the
 *       (new) leader, trying candidates in order and retrying briefly while leadership settles;
 *   <li>if it promoted someone, it demotes itself to spare, retrying until the deadline (the new
 *       leader may first have to commit an entry of its term).
 * </ol>
 */
final class Handover {

  /** First pause between retries of a promotion or demotion; doubles up to {@link #MAX_PAUSE}. */
  static final Duration FIRST_PAUSE = Duration.ofMillis(50);

  /** go-dqlite retries its self-demotion every second; we get there by doubling. */
  static final Duration MAX_PAUSE = RunLoop.RETRY;

  /** Passes over the promotion candidates before giving up (about 6 s with the pauses). */
  static final int PROMOTE_PASSES = 10;

  private final App app;
  private final long deadline;
  /** The client in use; replaced when the leader changes, closed at the end. */
  private Client cli;

  Handover(App app, Duration timeout) {
    this.app = app;
    this.deadline = System.nanoTime() + timeout.toNanos();
  }

  void run() throws DqliteException, InterruptedException {
    long start = System.nanoTime();
    StringBuilder timings = new StringBuilder();
    cli = findLeader();
    lap(timings, "find leader", start);
    try {
      long t = System.nanoTime();
      RolesChanges changes = app.prober().probe(step("cluster servers", cli::cluster));
      lap(timings, "probe", t);
      List<String> offline =
          changes.members().stream()
              .filter(n -> !changes.isOnline(n.id()))
              .map(n -> n.address() + " (" + n.role() + ")")
              .toList();
      if (!offline.isEmpty()) {
        // Offline members are neither transfer targets nor promotion candidates.
        app.log(Level.INFO, "handover: no answer to the probe from " + offline);
      }
      Optional<RoleChange> change = changes.handover(app.id());
      Optional<NodeInfo> leader = step("leader address", cli::leader);
      boolean leading = leader.isPresent() && leader.get().address().equals(app.address());
      List<HandoverPlan> steps = HandoverPlan.steps(leading, change.isPresent());

      DqliteException transferFailure = null;
      if (steps.contains(HandoverPlan.TRANSFER)) {
        t = System.nanoTime();
        try {
          transfer(TransferTargets.of(changes, app.id()));
        } catch (DqliteException e) {
          transferFailure = e;
        }
        lap(timings, "transfer", t);
        t = System.nanoTime();
        cli.close();
        cli = findLeader();
        lap(timings, "find new leader", t);
      }
      if (!steps.contains(HandoverPlan.PROMOTE) && HandoverPlan.probeAgain(changes, app.id())) {
        // After the transfer, so that the new leader can commit with us meanwhile.
        t = System.nanoTime();
        change = app.prober().probe(step("cluster servers", cli::cluster)).handover(app.id());
        lap(timings, "probe again", t);
        if (change.isPresent()) {
          steps = HandoverPlan.steps(leading, true);
        }
      }
      if (steps.contains(HandoverPlan.PROMOTE)) {
        t = System.nanoTime();
        try {
          promote(change.orElseThrow());
        } catch (DqliteException e) {
          if (transferFailure != null) {
            e.addSuppressed(transferFailure);
          }
          throw e;
        }
        lap(timings, "promote", t);
      }
      if (transferFailure != null) {
        throw transferFailure;
      }
      if (steps.contains(HandoverPlan.DEMOTE)) {
        t = System.nanoTime();
        demoteOurselves();
        lap(timings, "demote", t);
      }
      app.log(Level.INFO, "handover done in " + millis(start) + " ms (" + timings + ")"
          + (steps.contains(HandoverPlan.DEMOTE) ? ", now a spare" : ""));
    } finally {
      cli.close();
    }
  }

  private static long millis(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private static void lap(StringBuilder timings, String what, long since) {
    if (timings.length() > 0) {
      timings.append(", ");
    }
    timings.append(what).append(' ').append(millis(since)).append(" ms");
  }

  /**
   * Transfers leadership to the first target that takes it. Stops early when leadership has moved
   * anyway (raft reports a transfer that timed out as failed only while this node still leads).
   */
  private void transfer(List<NodeInfo> targets) throws DqliteException {
    DqliteException last = null;
    for (NodeInfo target : targets) {
      long t = System.nanoTime();
      try {
        cli.transfer(target.id());
        app.log(Level.INFO, "handover: transferred leadership to " + target.address() + " in "
            + millis(t) + " ms");
        return;
      } catch (DqliteException e) {
        app.log(Level.WARN, "handover: transfer leadership to " + target.address() + ": "
            + e.getMessage() + " (after " + millis(t) + " ms)");
        last = e;
      }
      cli.close();
      cli = findLeader();
      if (!cli.address().equals(app.address())) {
        app.log(Level.INFO, "handover: leadership moved to " + cli.address() + " anyway");
        return;
      }
    }
    if (last != null) {
      throw new DqliteException(
          last.code(), "handover: transfer leadership: " + last.getMessage(), last.address(),
          last);
    }
    // No other online voter: nothing to transfer to, as in go-dqlite.
  }

  /**
   * Gives the role to the first candidate that takes it. Right after a transfer the new leader may
   * refuse a configuration change for a moment, so a pass where every candidate failed is retried
   * with the leader found again.
   */
  private void promote(RoleChange change) throws DqliteException, InterruptedException {
    Duration pause = FIRST_PAUSE;
    for (int pass = 1; ; pass++) {
      DqliteException last = null;
      for (NodeInfo node : change.candidates()) {
        try {
          cli.assign(node.id(), change.role());
          app.log(Level.INFO, "handover: promoted " + node.address() + " from " + node.role()
              + " to " + change.role());
          return;
        } catch (DqliteException e) {
          app.log(Level.WARN, "handover: promote " + node.address() + " from " + node.role()
              + " to " + change.role() + " (pass " + pass + "): " + e.getMessage());
          last = e;
        }
      }
      if (pass == PROMOTE_PASSES || remaining().compareTo(pause) <= 0) {
        throw new DqliteException(
            last.code(), "handover: could not promote any online node to " + change.role()
                + " (" + pass + " passes): " + last.getMessage(), last.address(), last);
      }
      pause = sleep(pause);
      cli.close();
      cli = findLeader();
    }
  }

  private void demoteOurselves() throws DqliteException, InterruptedException {
    Duration pause = FIRST_PAUSE;
    while (true) {
      DqliteException last;
      try {
        cli.assign(app.id(), NodeRole.SPARE);
        app.log(Level.INFO, "handover: demoted ourselves to spare");
        return;
      } catch (DqliteException e) {
        last = e;
      }
      if (remaining().compareTo(pause) <= 0) {
        throw new DqliteTimeoutException(
            "handover: demote ourselves: deadline reached: " + last.getMessage(),
            last.address(), last);
      }
      pause = sleep(pause);
      cli.close();
      cli = findLeader();
    }
  }

  /** Sleeps {@code pause}; returns the next one. */
  private static Duration sleep(Duration pause) throws InterruptedException {
    Thread.sleep(pause.toMillis());
    Duration next = pause.multipliedBy(2);
    return next.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : next;
  }

  private Client findLeader() throws DqliteException {
    Duration left = remaining();
    if (left.isZero()) {
      throw new DqliteTimeoutException("handover: find leader: deadline reached", null, null);
    }
    try {
      return app.leader(left);
    } catch (DqliteException e) {
      throw new DqliteException(e.code(), "handover: find leader: " + e.getMessage(),
          e.address(), e);
    }
  }

  private Duration remaining() {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private interface Request<T> {
    T call() throws DqliteException;
  }

  private static <T> T step(String what, Request<T> request) throws DqliteException {
    try {
      return request.call();
    } catch (DqliteException e) {
      throw new DqliteException(e.code(), "handover: " + what + ": " + e.getMessage(),
          e.address(), e);
    }
  }
}
