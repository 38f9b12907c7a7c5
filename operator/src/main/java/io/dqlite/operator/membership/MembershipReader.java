package io.dqlite.operator.membership;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.plan.MemberIds;
import io.dqlite.sidecar.api.SidecarView;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the raft membership of a cluster.
 *
 * <p>First the sidecars: every pod with an IP is asked {@code GET /cluster} at once; the first
 * answer (in arrival order) that names a leader wins, because that sidecar got the configuration
 * from the leader and probed every member from inside the pod network, exactly as the App's role
 * algorithm sees it. Answers still arriving within {@link #GRACE} are kept for what each sidecar
 * says about itself (its zone); unreachable pods are tolerated and listed as problems. An answer
 * whose node is not the pod's (its {@code self.address} differs from the pod's raft address: the IP
 * was reused) is ignored.
 *
 * <p>Then, only if no sidecar named a leader, the dqlite protocol directly ({@link RaftProtocol}):
 * it covers sidecars whose admin port cannot be reached (a NetworkPolicy, an older sidecar) while
 * their dqlite port can. When neither finds a leader the result is {@link Membership#unknown}: the
 * caller must then change nothing in raft.
 */
public final class MembershipReader {

  private static final Logger log = LoggerFactory.getLogger(MembershipReader.class);

  /** How long the remaining answers are awaited once a leader was named. */
  public static final Duration GRACE = Duration.ofMillis(500);

  private final SidecarAdmin sidecars;
  private final RaftProtocol protocol;
  private final Duration deadline;

  /**
   * @param deadline how long the sidecars are awaited in all
   */
  public MembershipReader(SidecarAdmin sidecars, RaftProtocol protocol, Duration deadline) {
    this.sidecars = sidecars;
    this.protocol = protocol;
    this.deadline = deadline;
  }

  private record Answer(String pod, SidecarView view, Throwable failure) {}

  public Membership read(DqliteCluster cr, List<Pod> pods, String clusterDomain, AdminToken token) {
    List<String> problems = new ArrayList<>();
    BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    List<CompletableFuture<SidecarView>> calls = new ArrayList<>();
    Map<String, String> expectedAddress = new HashMap<>();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      PodEndpoints.ordinal(cr, pod)
          .ifPresent(o -> expectedAddress.put(name, ClusterNames.podAddress(cr, o, clusterDomain)));
      Optional<URI> admin = PodEndpoints.admin(pod);
      if (admin.isEmpty()) {
        problems.add(name + " has no IP yet");
        continue;
      }
      CompletableFuture<SidecarView> call;
      try {
        call = sidecars.cluster(admin.get(), token);
      } catch (RuntimeException e) {
        call = CompletableFuture.failedFuture(e);
      }
      calls.add(call);
      call.whenComplete((view, failure) -> answers.add(new Answer(name, view, failure)));
    }

    Map<String, SidecarView.Self> selves = new HashMap<>();
    SidecarView winner = null;
    String winnerPod = null;
    long end = System.nanoTime() + deadline.toNanos();
    for (int received = 0; received < calls.size(); received++) {
      Answer answer;
      try {
        answer = answers.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (answer == null) {
        problems.add((calls.size() - received) + " sidecar(s) did not answer within " + deadline);
        break;
      }
      if (answer.failure() != null) {
        problems.add(answer.pod() + ": " + rootMessage(answer.failure()));
        continue;
      }
      String expected = expectedAddress.get(answer.pod());
      SidecarView.Self self = answer.view().self();
      if (self != null && self.address() != null && !self.address().equals(expected)) {
        // The pod's IP now belongs to someone else (a recycled IP, a shared test network):
        // its view is of another cluster.
        problems.add(
            answer.pod()
                + ": answered by the node "
                + self.address()
                + ", not "
                + expected
                + "; ignored");
        continue;
      }
      if (answer.view().self() != null) {
        selves.put(answer.pod(), answer.view().self());
      }
      if (winner == null && answer.view().namesLeader()) {
        winner = answer.view();
        winnerPod = answer.pod();
        end = Math.min(end, System.nanoTime() + GRACE.toNanos());
      } else if (!answer.view().namesLeader()) {
        problems.add(answer.pod() + ": " + answer.view().error());
      }
    }
    calls.forEach(c -> c.cancel(true));

    if (winner != null) {
      log.debug("membership of {} from the sidecar of {}", cr.getMetadata().getName(), winnerPod);
      return fromSidecar(winner, selves, problems);
    }
    Membership direct = protocol.read(cr, PodEndpoints.dialAddresses(cr, pods, clusterDomain));
    List<String> all = new ArrayList<>(problems);
    all.addAll(direct.problems());
    return new Membership(direct.source(), direct.leader(), direct.members(), selves, all);
  }

  /** The membership a sidecar's view describes; pure. */
  static Membership fromSidecar(
      SidecarView view, Map<String, SidecarView.Self> selves, List<String> problems) {
    List<RaftMember> members = new ArrayList<>();
    List<String> all = new ArrayList<>(problems);
    for (SidecarView.MemberView m : view.members()) {
      try {
        members.add(
            new RaftMember(
                MemberIds.parse(m.id()),
                m.address(),
                SidecarView.role(m.role()),
                Boolean.TRUE.equals(m.online()),
                Boolean.TRUE.equals(m.online()) ? m.failureDomain() : null,
                m.zone()));
      } catch (IllegalArgumentException | NullPointerException e) {
        all.add("sidecar listed an unreadable member " + m + ": " + e.getMessage());
      }
    }
    Membership.Leader leader =
        new Membership.Leader(MemberIds.parse(view.leader().id()), view.leader().address());
    return new Membership(Membership.Source.SIDECAR, Optional.of(leader), members, selves, all);
  }

  private static String rootMessage(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null
        && (cause instanceof java.util.concurrent.CompletionException
            || cause.getMessage() == null)) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
