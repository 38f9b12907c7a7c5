package io.dqlite.sidecar.daemon;

import io.dqlite.client.DqliteException;
import io.dqlite.client.NodeInfo;
import io.dqlite.sidecar.admin.AdminBackend;
import io.dqlite.sidecar.metrics.SidecarMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin endpoints' answers for a running {@link Sidecar}.
 *
 * <p>{@code /cluster}: a fresh view (leader's configuration, each member probed with describe):
 * {@code self} (id, address, role, zone and where it came from, failure domain, ready, leader,
 * {@code engine}: libdqlite version, optional calls exported, engine options, last raft entry at
 * start),
 * {@code leader} (id, address), {@code members} (id as 0x-hex, address, role, online, failure
 * domain, weight; {@code zone} only for this node: others' zone names are not known here, only
 * their failure domains), {@code observedAt}, and {@code error} when no leader answered (then 503).
 */
final class SidecarAdmin implements AdminBackend {

  private static final Logger log = LoggerFactory.getLogger(SidecarAdmin.class);

  private final Sidecar sidecar;

  SidecarAdmin(Sidecar sidecar) {
    this.sidecar = sidecar;
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
    return new Answer(status.error().isPresent() ? 503 : 200, render(status));
  }

  private Map<String, Object> render(ClusterStatus status) {
    LocalNode node = sidecar.node();
    Optional<ClusterStatus.Member> self = status.member(node.id());
    Map<String, Object> me = new LinkedHashMap<>();
    me.put("id", hex(node.id()));
    me.put("address", node.address());
    me.put("role", self.map(m -> SidecarMetrics.label(m.role())).orElse(null));
    me.put("zone", sidecar.zone().zone().orElse(null));
    me.put("zoneSource", sidecar.zone().source().name().toLowerCase(java.util.Locale.ROOT));
    me.put("failureDomain", sidecar.failureDomain());
    me.put("ready", verdict(status).ready());
    me.put("leader", status.leader().map(l -> l.id() == node.id()).orElse(false));
    me.put("engine", node.engine());
    List<Map<String, Object>> members = new ArrayList<>();
    for (ClusterStatus.Member m : status.members()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("id", m.hexId());
      e.put("address", m.address());
      e.put("role", SidecarMetrics.label(m.role()));
      e.put("online", m.online());
      e.put("failureDomain", m.failureDomain());
      e.put("weight", m.weight());
      if (m.id() == node.id()) {
        e.put("zone", sidecar.zone().zone().orElse(null));
      }
      members.add(e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("self", me);
    out.put("leader", status.leader().map(SidecarAdmin::node).orElse(null));
    out.put("members", members);
    out.put("observedAt", status.observedAt().toString());
    status.error().ifPresent(e -> out.put("error", e));
    return out;
  }

  private static Map<String, Object> node(NodeInfo n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", hex(n.id()));
    m.put("address", n.address());
    return m;
  }

  private static String hex(long id) {
    return "0x" + Long.toHexString(id);
  }

  @Override
  public Answer handover() {
    if (sidecar.stopping()) {
      return new Answer(409, AdminBackend.reason("shutting down: the shutdown hands over itself"));
    }
    if (!sidecar.node().isReady()) {
      return new Answer(409, AdminBackend.reason("node not ready (still joining): nothing to"
          + " hand over yet"));
    }
    if (!sidecar.handoverLock().tryLock()) {
      return new Answer(409, AdminBackend.reason("a handover is already running"));
    }
    try {
      ClusterStatus before = sidecar.monitor().last();
      long start = System.nanoTime();
      sidecar.handover(sidecar.options().handoverTimeout());
      long ms = (System.nanoTime() - start) / 1_000_000;
      ClusterStatus after = sidecar.monitor().refresh();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("outcome", "success");
      body.put("durationMs", ms);
      body.put("leaderBefore", before.leader().map(SidecarAdmin::node).orElse(null));
      body.put("leaderAfter", after.leader().map(SidecarAdmin::node).orElse(null));
      body.put("roleBefore", role(before));
      body.put("roleAfter", role(after));
      return Answer.ok(body);
    } catch (DqliteException e) {
      log.warn("handover failed: {}", e.getMessage());
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("outcome", "failure");
      body.put("reason", e.getMessage());
      return new Answer(500, body);
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
