package io.dqlite.operator.steps;

import io.dqlite.client.model.NodeRole;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.membership.AdminToken;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.membership.PodEndpoints;
import io.dqlite.operator.membership.RaftMember;
import io.dqlite.operator.membership.SidecarAdmin;
import io.dqlite.operator.plan.CatchUpGate;
import io.dqlite.operator.plan.CatchUpGate.Reading;
import io.dqlite.operator.plan.Decision;
import io.dqlite.operator.status.StatusAggregator;
import io.dqlite.sidecar.api.SidecarView;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The I/O of {@link CatchUpGate}: asks the leader's sidecar for its raft index, then each restarted
 * member's, again every {@link #POLL} until each reached the leader's or {@link #WAIT} passed.
 */
final class CatchUpProbe {

  /** How long one pass waits for the restarted members to reach the leader's sampled index. */
  static final Duration WAIT = Duration.ofSeconds(5);

  static final Duration POLL = Duration.ofMillis(100);

  private final SidecarAdmin sidecars;
  private final String clusterDomain;

  CatchUpProbe(SidecarAdmin sidecars, String clusterDomain) {
    this.sidecars = sidecars;
    this.clusterDomain = clusterDomain;
  }

  CatchUpGate.Verdict check(
      DqliteCluster cr,
      List<Pod> pods,
      Membership membership,
      String updateRevision,
      AdminToken token)
      throws InterruptedException {
    Optional<Membership.Leader> leader = membership.leader();
    Optional<String> leaderAddress = leader.map(Membership.Leader::address);
    Map<String, Pod> restarted = new LinkedHashMap<>();
    boolean anyRestartedRan = false;
    Pod leaderPod = null;
    for (Pod pod : pods) {
      var ordinal = PodEndpoints.ordinal(cr, pod);
      if (ordinal.isEmpty() || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      String address = ClusterNames.podAddress(cr, ordinal.getAsInt(), clusterDomain);
      if (leaderAddress.filter(address::equals).isPresent()) {
        leaderPod = pod;
        continue;
      }
      boolean updated = updateRevision.equals(revision(pod));
      anyRestartedRan |= updated && StatusAggregator.isReady(pod);
      Optional<RaftMember> member = membership.memberAt(address);
      if (updated && member.isPresent() && member.get().role() != NodeRole.SPARE) {
        restarted.put(pod.getMetadata().getName(), pod);
      }
    }
    // Without a leader nothing shows a restarted pod caught up, so the restart waits; unless no
    // restarted pod ever became Ready: then the one to replace is a pod that never started
    // (Decision replaces such pods without a leader), with nothing before it to catch up.
    if (leader.isEmpty()) {
      return anyRestartedRan
          ? new CatchUpGate.Verdict(false, "no leader known to compare with")
          : CatchUpGate.decide("", new Reading.Unreported(), Map.of());
    }
    if (restarted.isEmpty()) {
      return CatchUpGate.decide("", new Reading.Unreported(), Map.of());
    }
    String leaderName =
        leaderPod == null ? leader.get().address() : leaderPod.getMetadata().getName();
    Reading leaderReading =
        leaderPod == null ? new Reading.Unknown("no pod serves it") : read(leaderPod, token);
    Map<String, Reading> readings = new LinkedHashMap<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      for (Map.Entry<String, Pod> e : restarted.entrySet()) {
        Reading before = readings.get(e.getKey());
        if (!caughtUp(before, leaderReading)) {
          readings.put(e.getKey(), read(e.getValue(), token));
        }
      }
      CatchUpGate.Verdict verdict = CatchUpGate.decide(leaderName, leaderReading, readings);
      if (verdict.caughtUp()
          || !(leaderReading instanceof Reading.At)
          || System.nanoTime() > deadline) {
        return verdict;
      }
      TimeUnit.NANOSECONDS.sleep(POLL.toNanos()); // polling a remote position, bounded by WAIT
    }
  }

  private static boolean caughtUp(Reading member, Reading leader) {
    return member instanceof Reading.At m
        && leader instanceof Reading.At l
        && m.index() >= l.index();
  }

  private Reading read(Pod pod, AdminToken token) throws InterruptedException {
    Optional<URI> admin = PodEndpoints.admin(pod);
    if (admin.isEmpty()) {
      return new Reading.Unknown("no pod IP");
    }
    SidecarView view;
    try {
      view = sidecars.cluster(admin.get(), token).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Reading.Unknown(Objects.requireNonNullElse(cause.getMessage(), cause.toString()));
    } catch (TimeoutException e) {
      return new Reading.Unknown("GET /cluster took over " + WAIT.toMillis() + " ms");
    }
    SidecarView.RaftLog log = view.self() == null ? null : view.self().raftLog();
    if (log == null) {
      return new Reading.Unreported();
    }
    if (log.lastIndex() == null) {
      return new Reading.Unknown(
          "its sidecar could not read the raft log: " + Objects.toString(log.error(), "no reason"));
    }
    return new Reading.At(log.lastIndex());
  }

  private static String revision(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null
        ? ""
        : Objects.requireNonNullElse(labels.get(Decision.REVISION_LABEL), "");
  }
}
