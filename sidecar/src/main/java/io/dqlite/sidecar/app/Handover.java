package io.dqlite.sidecar.app;

import static io.dqlite.sidecar.app.HandoverPlan.DEMOTE;
import static io.dqlite.sidecar.app.HandoverPlan.PROMOTE;
import static io.dqlite.sidecar.app.HandoverPlan.TRANSFER;

import io.dqlite.client.Client;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.DqliteTimeoutException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.sidecar.roles.RoleChange;
import io.dqlite.sidecar.roles.RolesChanges;
import io.dqlite.sidecar.roles.TransferTargets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.event.Level;

/**
 * One run of {@link App#handover}: go-dqlite's {@code Handover} (app/app.go, v1.11.9), with the
 * steps in the order {@link HandoverPlan} gives.
 *
 * <ol>
 *   <li>find the leader; fetch the members and probe them; decide whether this node has a role to
 *       pass on ({@link RolesChanges#handover}) and, if it leads, to which voters it may transfer
 *       leadership ({@link TransferTargets});
 *   <li>the leader transfers leadership, trying each target until one accepts (go-dqlite tries only
 *       the first), then finds the new leader; a leader that is the only online voter first
 *       promotes its replacement and transfers to it;
 *   <li>a voter or stand-by gets the best online candidate promoted to its role, through the (new)
 *       leader, trying candidates in order and retrying briefly while leadership settles;
 *   <li>if it promoted someone, it demotes itself to spare, retrying until the deadline (the new
 *       leader may first have to commit an entry of its term). A node that still leads because
 *       every transfer failed does so only when {@link HandoverPlan#demoteWhileLeading} allows.
 * </ol>
 *
 * <p>Every request gets what is left of the handover's deadline as its timeout, and so do the
 * leader search, the probes and the pauses between retries: a peer that never answers (a stopped
 * process) cannot hold the handover past its deadline.
 */
final class Handover {

  /** First pause between retries of a promotion or demotion; doubles up to {@link #MAX_PAUSE}. */
  static final Duration FIRST_PAUSE = Duration.ofMillis(50);

  /** go-dqlite retries its self-demotion every second; we get there by doubling. */
  static final Duration MAX_PAUSE = RunLoop.RETRY;

  /** Passes over the promotion candidates before giving up (about 6 s with the pauses). */
  static final int PROMOTE_PASSES = 10;

  /** Points where tests act on peers (stop a process); no-ops in production. */
  interface Observer {
    /** The handover's first leader search found {@code address}. */
    default void leaderFound(String address) {}

    /** Leadership is about to be transferred to {@code target}. */
    default void beforeTransfer(NodeInfo target) {}

    Observer NONE = new Observer() {};
  }

  private final App app;
  private final Duration timeout;
  private final long deadline;
  private final Observer observer;

  /** The connection to the leader in use; replaced when the leader changes, closed at the end. */
  private ProtocolConnection conn;

  private Client cli;

  /** Nodes that get neither leadership nor the role: they count as offline here. */
  private final Set<Long> exclude;

  Handover(App app, Duration timeout, Observer observer) {
    this(app, timeout, observer, Set.of());
  }

  Handover(App app, Duration timeout, Observer observer, Set<Long> exclude) {
    this.exclude = Set.copyOf(exclude);
    this.app = app;
    this.timeout = timeout;
    this.deadline = System.nanoTime() + timeout.toNanos();
    this.observer = observer;
  }

  void run() throws DqliteException, InterruptedException {
    long start = System.nanoTime();
    StringBuilder timings = new StringBuilder();
    connectLeader();
    observer.leaderFound(cli.address());
    lap(timings, "find leader", start);
    try {
      long t = System.nanoTime();
      RolesChanges changes = probe();
      lap(timings, "probe", t);
      List<String> offline =
          changes.members().stream()
              .filter(n -> !changes.isOnline(n.id()) && !exclude.contains(n.id()))
              .map(n -> n.address() + " (" + n.role() + ")")
              .toList();
      if (!offline.isEmpty()) {
        // Offline members are neither transfer targets nor promotion candidates.
        app.log(Level.INFO, "handover: no answer to the probe from " + offline);
      }
      if (!exclude.isEmpty()) {
        app.log(
            Level.INFO,
            "handover: excluded as about to be removed: "
                + changes.members().stream()
                    .filter(n -> exclude.contains(n.id()) && n.id() != app.id())
                    .map(n -> n.address() + " (" + n.role() + ")")
                    .toList());
      }
      Optional<NodeInfo> leader = call("leader address", Client::leader);
      boolean leading = leader.isPresent() && leader.get().address().equals(app.address());
      RolesChanges snapshot = changes;
      List<HandoverPlan> steps = HandoverPlan.steps(snapshot, app.id(), leading);
      if (steps.isEmpty() && HandoverPlan.probeAgain(snapshot, app.id())) {
        t = System.nanoTime();
        snapshot = probe();
        steps = HandoverPlan.steps(snapshot, app.id(), leading);
        lap(timings, "probe again", t);
      }
      app.log(
          Level.INFO,
          "handover: "
              + (leading ? "leader" : "not the leader")
              + ", steps "
              + (steps.isEmpty() ? "none" : steps));

      NodeInfo promoted = null;
      DqliteException transferFailure = null;
      boolean demoted = false;
      for (int i = 0; i < steps.size(); i++) {
        HandoverPlan step = steps.get(i);
        t = System.nanoTime();
        switch (step) {
          case TRANSFER -> {
            List<NodeInfo> targets =
                promoted != null ? List.of(promoted) : TransferTargets.of(snapshot, app.id());
            try {
              transfer(targets);
            } catch (DqliteException e) {
              transferFailure = e;
            }
            reconnectLeader();
            if (!steps.contains(PROMOTE) && HandoverPlan.probeAgain(snapshot, app.id())) {
              // After the transfer, so that the new leader can commit with us meanwhile.
              RolesChanges again = probe();
              if (again.handover(app.id()).isPresent()) {
                snapshot = again;
                steps = List.of(TRANSFER, PROMOTE, DEMOTE);
              }
            }
          }
          case PROMOTE -> {
            try {
              promoted = promote(snapshot.handover(app.id()).orElseThrow());
            } catch (DqliteException e) {
              if (transferFailure != null) {
                e.addSuppressed(transferFailure);
              }
              throw e;
            }
          }
          case DEMOTE -> {
            boolean stillLeading = cli.address().equals(app.address());
            if (stillLeading
                && !HandoverPlan.demoteWhileLeading(snapshot, app.id(), promoted.id())) {
              app.log(
                  Level.WARN,
                  "handover: still the leader, and the other voters have no online"
                      + " majority without us: keeping the voter role");
            } else {
              if (stillLeading) {
                app.log(
                    Level.WARN,
                    "handover: still the leader: demoting ourselves anyway (raft"
                        + " steps us down once the change commits, then the voters elect a leader)");
              }
              demoteOurselves();
              demoted = true;
            }
          }
          default -> throw new IllegalStateException("unknown step " + step);
        }
        lap(timings, step.name().toLowerCase(Locale.ROOT), t);
      }
      if (transferFailure != null) {
        String outcome =
            demoted
                ? "; the role went to " + promoted.address() + " and we are a spare anyway"
                : promoted != null ? "; the role went to " + promoted.address() : "";
        throw new DqliteException(
            transferFailure.code(),
            transferFailure.getMessage() + outcome,
            transferFailure.address(),
            transferFailure);
      }
      app.log(
          Level.INFO,
          "handover done in "
              + millis(start)
              + " ms ("
              + timings
              + ")"
              + (demoted ? ", now a spare" : ""));
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
      observer.beforeTransfer(target);
      try {
        perform("transfer leadership", c -> c.transfer(target.id()));
        app.log(
            Level.INFO,
            "handover: transferred leadership to " + target.address() + " in " + millis(t) + " ms");
        return;
      } catch (DqliteException e) {
        app.log(
            Level.WARN,
            "handover: transfer leadership to "
                + target.address()
                + ": "
                + e.getMessage()
                + " (after "
                + millis(t)
                + " ms)");
        last = e;
      }
      reconnectLeader();
      if (!cli.address().equals(app.address())) {
        app.log(Level.INFO, "handover: leadership moved to " + cli.address() + " anyway");
        return;
      }
    }
    if (last != null) {
      throw new DqliteException(
          last.code(), "handover: transfer leadership: " + last.getMessage(), last.address(), last);
    }
    // No other online voter: nothing to transfer to, as in go-dqlite.
  }

  /**
   * Gives the role to the first candidate that takes it and returns that one. Right after a
   * transfer the new leader may refuse a configuration change for a moment, so a pass where every
   * candidate failed is retried with the leader found again.
   */
  private NodeInfo promote(RoleChange change) throws DqliteException, InterruptedException {
    Duration pause = FIRST_PAUSE;
    for (int pass = 1; ; pass++) {
      DqliteException last = null;
      for (NodeInfo node : change.candidates()) {
        try {
          perform("promote", c -> c.assign(node.id(), change.role()));
          app.log(
              Level.INFO,
              "handover: promoted "
                  + node.address()
                  + " from "
                  + node.role()
                  + " to "
                  + change.role());
          return node;
        } catch (DqliteException e) {
          app.log(
              Level.WARN,
              "handover: promote "
                  + node.address()
                  + " from "
                  + node.role()
                  + " to "
                  + change.role()
                  + " (pass "
                  + pass
                  + "): "
                  + e.getMessage());
          last = e;
        }
      }
      if (pass == PROMOTE_PASSES || remaining().compareTo(pause) <= 0) {
        throw new DqliteException(
            last.code(),
            "handover: could not promote any online node to "
                + change.role()
                + " ("
                + pass
                + " passes): "
                + last.getMessage(),
            last.address(),
            last);
      }
      pause = sleep(pause);
      reconnectLeader();
    }
  }

  private void demoteOurselves() throws DqliteException, InterruptedException {
    Duration pause = FIRST_PAUSE;
    while (true) {
      DqliteException last;
      try {
        perform("demote ourselves", c -> c.assign(app.id(), NodeRole.SPARE));
        app.log(Level.INFO, "handover: demoted ourselves to spare");
        return;
      } catch (DqliteException e) {
        last = e;
      }
      if (isSpare()) {
        // The new leader's own adjustment got there first (a cluster of 2 keeps 1 voter).
        app.log(Level.INFO, "handover: already a spare (" + last.getMessage() + ")");
        return;
      }
      if (remaining().compareTo(pause) <= 0) {
        throw new DqliteTimeoutException(
            "handover: demote ourselves: deadline reached: " + last.getMessage(),
            last.address(),
            last);
      }
      pause = sleep(pause);
      reconnectLeader();
    }
  }

  /** Whether the leader lists this node as a spare; false when it cannot tell. */
  private boolean isSpare() {
    try {
      return request("cluster servers", Client::cluster).stream()
          .anyMatch(n -> n.id() == app.id() && n.role() == NodeRole.SPARE);
    } catch (DqliteException e) {
      return false;
    }
  }

  /** Sleeps {@code pause} (at most until the deadline); returns the next one. */
  private Duration sleep(Duration pause) throws InterruptedException {
    Thread.sleep(Math.max(0, Math.min(pause.toMillis(), remaining().toMillis())));
    Duration next = pause.multipliedBy(2);
    return next.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : next;
  }

  private RolesChanges probe() throws DqliteException {
    List<NodeInfo> members = call("cluster servers", Client::cluster);
    return HandoverPlan.excluding(app.prober().probe(members, left("probe")), exclude, app.id());
  }

  private void connectLeader() throws DqliteException {
    try {
      conn = app.leaderConnection(left("find leader"));
    } catch (DqliteException e) {
      throw new DqliteException(
          e.code(), "handover: find leader: " + e.getMessage(), e.address(), e);
    }
    cli = Client.of(conn);
  }

  private void reconnectLeader() throws DqliteException {
    cli.close();
    connectLeader();
  }

  private Duration remaining() {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  /** What is left of the deadline for {@code what}; a timeout error when nothing is. */
  private Duration left(String what) throws DqliteTimeoutException {
    Duration left = remaining();
    if (left.toMillis() < 1) {
      throw new DqliteTimeoutException(
          "handover: "
              + what
              + ": the handover's deadline of "
              + timeout.toMillis()
              + " ms has passed",
          conn == null ? null : conn.address(),
          null);
    }
    return left;
  }

  private interface Request<T> {
    T call(Client c) throws DqliteException;
  }

  private interface Action {
    void run(Client c) throws DqliteException;
  }

  /** One request to the leader, bounded by what is left of the deadline. */
  private <T> T request(String what, Request<T> request) throws DqliteException {
    conn.setRequestTimeout(left(what));
    return request.call(cli);
  }

  private void perform(String what, Action action) throws DqliteException {
    request(
        what,
        c -> {
          action.run(c);
          return null;
        });
  }

  /** {@link #request}, the error naming the step. */
  private <T> T call(String what, Request<T> request) throws DqliteException {
    try {
      return request(what, request);
    } catch (DqliteException e) {
      throw new DqliteException(
          e.code(), "handover: " + what + ": " + e.getMessage(), e.address(), e);
    }
  }
}
