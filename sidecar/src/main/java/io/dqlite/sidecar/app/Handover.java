package io.dqlite.sidecar.app;

import io.dqlite.client.Client;
import io.dqlite.client.DqliteException;
import io.dqlite.client.DqliteTimeoutException;
import io.dqlite.client.NodeInfo;
import io.dqlite.client.NodeRole;
import io.dqlite.sidecar.roles.RoleChange;
import io.dqlite.sidecar.roles.RolesChanges;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * One run of {@link App#handover}: go-dqlite's {@code Handover} (app/app.go, v1.11.9).
 *
 * <ol>
 *   <li>find the leader; fetch the members and probe them;
 *   <li>a voter or stand-by promotes the best online candidate to its role ({@link
 *       RolesChanges#handover}), trying candidates in order until one succeeds;
 *   <li>the leader transfers leadership to another online voter, trying each until one accepts
 *       (go-dqlite tries only the first), then finds the new leader;
 *   <li>if it promoted someone, it demotes itself to spare, retrying every second (finding the
 *       leader again after a connection or leadership error) until the deadline.
 * </ol>
 */
final class Handover {

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
      List<NodeInfo> nodes = step("cluster servers", cli::cluster);
      long probing = System.nanoTime();
      RolesChanges changes = app.prober().probe(nodes);
      lap(timings, "probe", probing);
      Optional<RoleChange> change = changes.handover(app.id());
      Optional<NodeInfo> promoted = Optional.empty();
      if (change.isPresent()) {
        promoted = Optional.of(promote(cli, change.get()));
      }
      lap(timings, "promote", start);

      Optional<NodeInfo> leader = step("leader address", cli::leader);
      if (leader.isPresent() && leader.get().address().equals(app.address())) {
        long t = System.nanoTime();
        RolesChanges now = app.prober().probe(step("cluster servers", cli::cluster));
        transfer(cli, now, promoted.map(NodeInfo::id).orElse(null));
        lap(timings, "transfer", t);
        cli.close();
        t = System.nanoTime();
        cli = findLeader();
        lap(timings, "find new leader", t);
      }

      if (change.isPresent()) {
        long t = System.nanoTime();
        demoteOurselves();
        lap(timings, "demote", t);
      }
      app.log(Level.INFO, "handover done in " + (System.nanoTime() - start) / 1_000_000 + " ms ("
          + timings + ")" + (change.isPresent() ? ", now a spare" : ""));
    } finally {
      cli.close();
    }
  }

  private static void lap(StringBuilder timings, String what, long since) {
    if (timings.length() > 0) {
      timings.append(", ");
    }
    timings.append(what).append(' ').append((System.nanoTime() - since) / 1_000_000).append(" ms");
  }

  /** Gives the role to the first candidate that takes it; returns that candidate. */
  private NodeInfo promote(Client cli, RoleChange change) throws DqliteException {
    List<NodeInfo> candidates = change.candidates();
    for (int i = 0; i < candidates.size(); i++) {
      NodeInfo node = candidates.get(i);
      try {
        cli.assign(node.id(), change.role());
        app.log(Level.INFO, "handover: promoted " + node.address() + " from " + node.role()
            + " to " + change.role());
        return node;
      } catch (DqliteException e) {
        app.log(Level.WARN, "handover: promote " + node.address() + " from " + node.role()
            + " to " + change.role() + ": " + e.getMessage());
        if (i == candidates.size() - 1) {
          throw new DqliteException(
              e.code(), "handover: could not promote any online node to " + change.role(),
              e.address(), e);
        }
      }
    }
    throw new IllegalStateException("a role change has at least one candidate");
  }

  /**
   * Transfers leadership to another online voter. The voter just promoted comes last: it may not
   * have caught up yet, and raft then lets the transfer time out.
   */
  private void transfer(Client cli, RolesChanges changes, Long justPromoted)
      throws DqliteException {
    List<NodeInfo> voters =
        changes.members().stream()
            .filter(n -> n.role() == NodeRole.VOTER && changes.isOnline(n.id()))
            .filter(n -> !n.address().equals(app.address()))
            .sorted(java.util.Comparator.comparing(n -> Long.valueOf(n.id()).equals(justPromoted)))
            .toList();
    DqliteException last = null;
    for (NodeInfo voter : voters) {
      long t = System.nanoTime();
      try {
        cli.transfer(voter.id());
        app.log(Level.INFO, "handover: transferred leadership to " + voter.address() + " in "
            + (System.nanoTime() - t) / 1_000_000 + " ms");
        return;
      } catch (DqliteException e) {
        app.log(Level.WARN, "handover: transfer leadership to " + voter.address() + ": "
            + e.getMessage() + " (after " + (System.nanoTime() - t) / 1_000_000 + " ms)");
        last = e;
      }
    }
    if (last != null) {
      throw new DqliteException(
          last.code(), "handover: transfer leadership: " + last.getMessage(), last.address(),
          last);
    }
    // No other online voter: nothing to transfer to, as in go-dqlite.
  }

  private void demoteOurselves() throws DqliteException, InterruptedException {
    DqliteException last;
    while (true) {
      try {
        cli.assign(app.id(), NodeRole.SPARE);
        app.log(Level.INFO, "handover: demoted ourselves to spare");
        return;
      } catch (DqliteException e) {
        last = e;
      }
      if (remaining().compareTo(RunLoop.RETRY) <= 0) {
        throw new DqliteTimeoutException(
            "handover: demote ourselves: deadline reached: " + last.getMessage(),
            last.address(), last);
      }
      Thread.sleep(RunLoop.RETRY.toMillis());
      if (last.isConnectionBroken()) {
        cli.close();
        cli = findLeader();
      }
    }
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
