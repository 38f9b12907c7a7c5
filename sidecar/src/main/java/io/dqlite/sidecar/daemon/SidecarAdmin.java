package io.dqlite.sidecar.daemon;

import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.sidecar.admin.AdminBackend;
import io.dqlite.sidecar.api.AdminApi;
import io.dqlite.sidecar.api.HandoverAnswer;
import io.dqlite.sidecar.api.SidecarView;
import io.dqlite.sidecar.metrics.SidecarMetrics;
import io.dqlite.sidecar.raftlog.RaftLogReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoints' answers for a running {@link Sidecar}.
 *
 * <p>{@code /cluster}: a fresh {@link SidecarView} (leader's configuration, each member probed with
 * describe); a member's {@code zone} only for this node (others' zone names are not known here,
 * only their failure domains); 503 with {@code error} when no leader answered. {@code /handover}: a
 * {@link HandoverAnswer}. {@code self.engine}: the libdqlite under this node ({@link
 * LocalNode#engine()}).
 */
final class SidecarAdmin implements AdminBackend {

  private static final Logger log = LoggerFactory.getLogger(SidecarAdmin.class);

  private final Sidecar sidecar;
  private final RaftLogReader raftLog;

  SidecarAdmin(Sidecar sidecar) {
    this.sidecar = sidecar;
    this.raftLog = new RaftLogReader(sidecar.options().dir());
  }

  @Override
  public long nodeId() {
    return sidecar.node().id();
  }

  @Override
  public Answer live() {
    java.util.Optional<String> problem = sidecar.appSocketProblem();
    if (problem.isPresent()) {
      return new Answer(503, "not live: " + problem.get());
    }
    return Answer.ok("ok: node 0x" + Long.toHexString(sidecar.node().id()) + " started");
  }

  @Override
  public Answer ready() {
    Readiness.Verdict v = verdict(sidecar.monitor().last());
    sidecar.metrics().setReady(v.ready());
    return new Answer(v.ready() ? 200 : 503, v.reason());
  }

  private Readiness.Verdict verdict(ClusterStatus status) {
    return Readiness.of(
        sidecar.node().isReady(),
        sidecar.handoverLock().isLocked(),
        sidecar.stopping(),
        sidecar.node().id(),
        status);
  }

  @Override
  public String metrics() {
    sidecar.metrics().setReady(verdict(sidecar.monitor().last()).ready());
    return sidecar.metrics().scrape();
  }

  @Override
  public Answer cluster() {
    ClusterStatus status = sidecar.monitor().refresh();
    return new Answer(status.error().isPresent() ? 503 : 200, render(status, raftLog()));
  }

  /**
   * Where this node's log ends on disk, read after the cluster view: an operator comparing a
   * follower's with the leader's asks the leader first, so a later read only helps the follower.
   */
  private SidecarView.RaftLog raftLog() {
    try {
      return SidecarView.RaftLog.at(raftLog.lastIndex());
    } catch (IOException | RuntimeException e) {
      log.warn("raft log position unreadable: {}", e.getMessage());
      return SidecarView.RaftLog.unreadable(e.getMessage());
    }
  }

  private SidecarView render(ClusterStatus status, SidecarView.RaftLog position) {
    LocalNode node = sidecar.node();
    Optional<ClusterStatus.Member> self = status.member(node.id());
    String zone = sidecar.zone().zone().orElse(null);
    SidecarView.Self me =
        new SidecarView.Self(
            AdminApi.hexId(node.id()),
            node.address(),
            self.map(m -> SidecarMetrics.label(m.role())).orElse(null),
            zone,
            sidecar.zone().source().name().toLowerCase(java.util.Locale.ROOT),
            sidecar.failureDomain(),
            verdict(status).ready(),
            status.leader().map(l -> l.id() == node.id()).orElse(false),
            node.engine(),
            position);
    List<SidecarView.MemberView> members = new ArrayList<>();
    for (ClusterStatus.Member m : status.members()) {
      members.add(
          new SidecarView.MemberView(
              m.hexId(),
              m.address(),
              SidecarMetrics.label(m.role()),
              m.online(),
              m.failureDomain(),
              m.weight(),
              m.id() == node.id() ? zone : null));
    }
    return new SidecarView(
        me,
        status.leader().map(SidecarAdmin::node).orElse(null),
        members,
        status.observedAt().toString(),
        status.error().orElse(null));
  }

  private static SidecarView.NodeRef node(NodeInfo n) {
    return new SidecarView.NodeRef(AdminApi.hexId(n.id()), n.address());
  }

  @Override
  public Answer handover(java.util.Set<Long> exclude) {
    if (sidecar.stopping()) {
      return new Answer(409, AdminBackend.reason("shutting down: the shutdown hands over itself"));
    }
    if (!sidecar.node().isReady()) {
      return new Answer(
          409,
          AdminBackend.reason("node not ready (still joining): nothing to" + " hand over yet"));
    }
    if (!sidecar.handoverLock().tryLock()) {
      return new Answer(409, AdminBackend.reason("a handover is already running"));
    }
    try {
      ClusterStatus before = sidecar.monitor().last();
      long start = System.nanoTime();
      sidecar.handover(sidecar.options().handoverTimeout(), exclude);
      long ms = (System.nanoTime() - start) / 1_000_000;
      ClusterStatus after = sidecar.monitor().refresh();
      return Answer.ok(
          HandoverAnswer.success(
              ms,
              before.leader().map(SidecarAdmin::node).orElse(null),
              after.leader().map(SidecarAdmin::node).orElse(null),
              role(before),
              role(after)));
    } catch (DqliteException e) {
      log.warn("handover failed: {}", e.getMessage());
      return new Answer(500, HandoverAnswer.failure(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(500, AdminBackend.reason("interrupted"));
    } finally {
      sidecar.handoverLock().unlock();
    }
  }

  private String role(ClusterStatus status) {
    return status.member(sidecar.node().id()).map(m -> SidecarMetrics.label(m.role())).orElse(null);
  }
}
