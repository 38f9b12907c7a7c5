package io.dqlite.sidecar.app;

import io.dqlite.client.Client;
import io.dqlite.client.leader.NoLeaderException;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.sidecar.roles.RoleChange;
import io.dqlite.sidecar.roles.RolesChanges;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.event.Level;

/**
 * The App's background loop on its own thread: go-dqlite's {@code run}, {@code
 * maybePromoteOurselves} and {@code maybeAdjustRoles} (app/app.go, v1.11.9). Each tick:
 *
 * <ol>
 *   <li>find the leader through cluster.yaml (a failure: try again);
 *   <li>a new node joins: add itself as a spare (a failure: try again in 1 s); then the join file
 *       is removed;
 *   <li>fetch the members from the leader and store them in cluster.yaml;
 *   <li>until the App is ready: take the voter or stand-by role if the cluster lacks one ({@link
 *       RolesChanges#assume}), and a new voter beside a single one promotes a third node; success
 *       makes the App ready (a failure: try again in 1 s);
 *   <li>once ready, every roles adjustment period: while this node is unfit ({@link FitnessCheck}),
 *       mark it and hand leadership and its voter role over ({@link StepDown}); on the leader only,
 *       probe every member and apply {@link RolesChanges#adjust} one change at a time until nothing
 *       is left to change; then call the roles-adjustment hook.
 * </ol>
 *
 * Whatever a tick throws, the loop goes on: the failure is logged once, the next tick comes after 1
 * s, and the period is back as soon as a tick succeeds ({@link #nextDelay}).
 */
final class RunLoop {

  static final Duration RETRY = Duration.ofSeconds(1);

  /** How many frames of an unexpected failure the log line shows. */
  private static final int WHERE_FRAMES = 4;

  /** At most this many role changes per tick and member, against an algorithm that oscillates. */
  private static final int MAX_CHANGES_PER_MEMBER = 2;

  private final App app;
  private final StepDown stepDown;
  private final Thread thread;
  private final Object lock = new Object();
  private boolean stopping;
  private volatile boolean join;
  private volatile boolean paused;
  private volatile String lastProblem;
  private volatile Client current;
  private volatile Consumer<Duration> pauseObserver = d -> {};

  /** Loop thread only: ready, and the unexpected failure last logged with its count. */
  private boolean ready;

  private String lastFailure;
  private int failedTicks;

  RunLoop(App app, boolean join) {
    this.app = app;
    this.stepDown = new StepDown(app);
    this.join = join;
    this.thread = new Thread(this::run, "dqlite-app-" + app.hexId());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The last problem a tick met before the App was ready, for diagnostics; null if none. */
  String lastProblem() {
    return lastProblem;
  }

  /** While paused (during a handover) the leader makes no role adjustments. */
  void pauseAdjustments(boolean pause) {
    this.paused = pause;
  }

  /** Stops the loop and waits for it (bounded). */
  void stop() {
    synchronized (lock) {
      stopping = true;
      lock.notifyAll();
    }
    thread.interrupt();
    Client c = current;
    if (c != null) {
      c.close();
    }
    try {
      thread.join(30_000);
      if (thread.isAlive()) {
        app.log(Level.WARN, "run loop still busy 30 s after stop; leaving it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean stopping() {
    synchronized (lock) {
      return stopping;
    }
  }

  /** Waits {@code delay} unless stopped first; false when stopped. */
  private boolean pause(Duration delay) {
    pauseObserver.accept(delay);
    long end = System.nanoTime() + delay.toNanos();
    synchronized (lock) {
      while (!stopping) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          return !stopping;
        }
      }
      return false;
    }
  }

  /** What a tick asks of the pause before the next one. */
  enum Outcome {
    /** The tick did its work (or made the App ready): the roles adjustment period. */
    DONE,
    /** A failure go-dqlite retries after 1 s (join, taking a role, anything unexpected). */
    RETRY,
    /** A failure go-dqlite retries with the pause unchanged (no leader, no member list). */
    SAME
  }

  /**
   * The pause before the next tick: go-dqlite's delays, and back to the adjustment period as soon
   * as a tick succeeds again (a retry never sticks). Once ready, a retry never waits longer than
   * the period.
   */
  static Duration nextDelay(Duration current, Outcome outcome, boolean ready, Duration period) {
    return switch (outcome) {
      case DONE -> period;
      case RETRY -> ready && period.compareTo(RETRY) < 0 ? period : RETRY;
      case SAME -> current;
    };
  }

  /** Sees each pause the loop is about to take (tests observe the loop's period). */
  void observePauses(Consumer<Duration> observer) {
    this.pauseObserver = observer;
  }

  private void run() {
    Duration delay = Duration.ZERO;
    while (pause(delay)) {
      Outcome outcome;
      try {
        outcome = tick();
        recovered();
      } catch (Throwable e) {
        // Whatever a tick throws (a bug, a faulty hook, even a VirtualMachineError), role
        // management must go on: a dead loop would leave the node running without it, silently.
        // A real OutOfMemoryError ends the process first (the launcher sets
        // -XX:+ExitOnOutOfMemoryError).
        outcome = Outcome.RETRY;
        unexpected(e);
      }
      delay = nextDelay(delay, outcome, ready, app.options().rolesAdjustmentFrequency());
    }
  }

  /** One pass: go-dqlite's loop body. */
  private Outcome tick() {
    Client cli;
    try {
      cli = app.leader();
    } catch (NoLeaderException e) {
      problem(ready, Level.DEBUG, "find leader: " + e.getMessage());
      return Outcome.SAME;
    }
    current = cli;
    try {
      if (stopping()) {
        return Outcome.SAME;
      }
      if (join) {
        try {
          cli.add(new NodeInfo(app.id(), app.address(), NodeRole.SPARE));
        } catch (DqliteException e) {
          if (!alreadyMember(cli)) {
            problem(ready, Level.WARN, "join cluster: " + e.getMessage());
            return Outcome.RETRY;
          }
          // An earlier run's add was applied but its answer never reached us (stopped or
          // timed out in between): the join is done, and retrying add would fail forever.
          app.log(Level.INFO, "join cluster: already a member (" + e.getMessage() + ")");
        }
        join = false;
        app.log(Level.INFO, "joined the cluster through leader " + cli.address());
        try {
          AppFiles.remove(app.dir(), AppFiles.JOIN);
        } catch (IOException e) {
          app.log(Level.ERROR, "remove join file: " + e.getMessage());
        }
      }
      List<NodeInfo> servers;
      try {
        servers = cli.cluster();
      } catch (DqliteException e) {
        problem(ready, Level.DEBUG, "cluster servers: " + e.getMessage());
        return Outcome.SAME;
      }
      if (servers.isEmpty()) {
        problem(ready, Level.WARN, "server list empty");
        return Outcome.SAME;
      }
      try {
        app.store().set(servers);
      } catch (IOException e) {
        app.log(Level.WARN, "update cluster.yaml: " + e.getMessage());
      }
      if (!ready) {
        try {
          maybePromoteOurselves(cli, servers);
        } catch (DqliteException e) {
          problem(false, Level.WARN, e.getMessage());
          return Outcome.RETRY;
        }
        ready = true;
        lastProblem = null;
        app.markReady();
        app.log(Level.INFO, "ready");
        return Outcome.DONE;
      }
      if (!paused) {
        Optional<NodeInfo> leader =
            servers.stream().filter(n -> n.address().equals(cli.address())).findFirst();
        try {
          stepDown.tick(servers, leader);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Outcome.SAME;
        }
      }
      if (!paused) {
        try {
          maybeAdjustRoles(cli);
        } catch (DqliteException e) {
          app.log(Level.WARN, "adjust roles: " + e.getMessage());
        }
      }
      runHook(cli, servers);
      return Outcome.DONE;
    } finally {
      current = null;
      cli.close();
    }
  }

  /**
   * Logs an unexpected failure of a tick once: the first time (and whenever it changes) as an error
   * with where it was thrown, repeats of the same failure at debug level.
   */
  private void unexpected(Throwable e) {
    if (stopping()) {
      return;
    }
    failedTicks++;
    String key = e.toString();
    if (key.equals(lastFailure)) {
      app.log(Level.DEBUG, "run loop: tick failed again (" + failedTicks + " in a row): " + key);
      return;
    }
    lastFailure = key;
    app.log(
        Level.ERROR,
        "run loop: tick failed, retrying (role management goes on): " + key + where(e));
  }

  /** A tick completed after unexpected failures: say so once. */
  private void recovered() {
    if (lastFailure != null) {
      app.log(
          Level.INFO,
          "run loop: recovered after " + failedTicks + " failed ticks (last: " + lastFailure + ")");
      lastFailure = null;
      failedTicks = 0;
    }
  }

  /** The top frames of a throwable and its cause, on one line. */
  private static String where(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null && out.length() < 2000; t = t.getCause()) {
      if (t != e) {
        out.append(" caused by ").append(t);
      }
      StackTraceElement[] frames = t.getStackTrace();
      for (int i = 0; i < Math.min(WHERE_FRAMES, frames.length); i++) {
        out.append(" at ").append(frames[i]);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return out.toString();
  }

  /** True when the leader's configuration already holds this node's id at this node's address. */
  private boolean alreadyMember(Client cli) {
    try {
      return cli.cluster().stream()
          .anyMatch(n -> n.id() == app.id() && n.address().equals(app.address()));
    } catch (DqliteException e) {
      return false;
    }
  }

  private void problem(boolean ready, Level level, String message) {
    if (!ready) {
      lastProblem = message;
    }
    if (!stopping()) {
      app.log(level, message);
    }
  }

  /** Takes a voter or stand-by role at start-up when the cluster lacks one. */
  private void maybePromoteOurselves(Client cli, List<NodeInfo> servers) throws DqliteException {
    RolesChanges changes = app.prober().probe(servers);
    Optional<NodeRole> role = changes.assume(app.id());
    if (role.isEmpty()) {
      return;
    }
    try {
      cli.assign(app.id(), role.get());
    } catch (DqliteException e) {
      throw new DqliteException(
          e.code(),
          "assign " + role.get() + " role to ourselves: " + e.getMessage(),
          e.address(),
          e);
    }
    app.log(Level.INFO, "took the " + role.get() + " role");
    // From one voter to three at once; failures are left to the leader's adjustments.
    Optional<RoleChange> alongside = changes.promoteAlongside(app.id());
    if (alongside.isPresent()) {
      for (NodeInfo node : alongside.get().candidates()) {
        try {
          cli.assign(node.id(), NodeRole.VOTER);
          app.log(Level.INFO, "promoted " + node.address() + " from " + node.role() + " to voter");
          break;
        } catch (DqliteException e) {
          app.log(
              Level.WARN,
              "promote "
                  + node.address()
                  + " from "
                  + node.role()
                  + " to voter: "
                  + e.getMessage());
        }
      }
    }
  }

  /** On the leader: one role change after the other until nothing is left to change. */
  private void maybeAdjustRoles(Client cli) throws DqliteException {
    int budget = Integer.MAX_VALUE;
    for (int done = 0; !stopping() && !paused; done++) {
      Optional<NodeInfo> leader = cli.leader();
      if (leader.isEmpty() || leader.get().id() != app.id()) {
        return;
      }
      List<NodeInfo> nodes = cli.cluster();
      budget = Math.min(budget, MAX_CHANGES_PER_MEMBER * nodes.size() + 2);
      if (done >= budget) {
        app.log(
            Level.WARN,
            "adjust roles: "
                + done
                + " changes in one tick; the rest waits for"
                + " the next tick");
        return;
      }
      RolesChanges changes = app.prober().probe(nodes);
      Optional<RoleChange> change = changes.adjust(app.id());
      if (change.isEmpty()) {
        return;
      }
      apply(cli, change.get());
    }
  }

  private void apply(Client cli, RoleChange change) throws DqliteException {
    List<NodeInfo> candidates = change.candidates();
    for (int i = 0; i < candidates.size(); i++) {
      NodeInfo node = candidates.get(i);
      try {
        cli.assign(node.id(), change.role());
        app.log(
            Level.INFO,
            "changed "
                + node.address()
                + " from "
                + node.role()
                + " to "
                + change.role()
                + ": "
                + change.reason().description());
        return;
      } catch (DqliteException e) {
        app.log(
            Level.WARN,
            "change "
                + node.address()
                + " from "
                + node.role()
                + " to "
                + change.role()
                + ": "
                + e.getMessage());
        if (i == candidates.size() - 1) {
          throw new DqliteException(
              e.code(), "could not assign role " + change.role() + " to any node", e.address(), e);
        }
      }
    }
  }

  private void runHook(Client cli, List<NodeInfo> servers) {
    try {
      Optional<NodeInfo> leader = cli.leader();
      if (leader.isPresent()) {
        app.options().rolesAdjustmentHook().accept(leader.get(), servers);
      }
    } catch (DqliteException e) {
      app.log(Level.DEBUG, "roles adjustment hook: leader: " + e.getMessage());
    }
  }
}
