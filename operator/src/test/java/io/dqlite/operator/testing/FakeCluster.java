package io.dqlite.operator.testing;

import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeRole;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.membership.AdminToken;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.membership.RaftMember;
import io.dqlite.operator.membership.RaftProtocol;
import io.dqlite.operator.membership.SidecarAdmin;
import io.dqlite.sidecar.api.SidecarView;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A simulated dqlite cluster behind the sidecar and protocol interfaces: the pod with IP {@link
 * Fixtures#ip} answers {@code /cluster} with the current membership; a handover demotes the node to
 * spare and moves leadership to another online voter; a removal drops the member (and refuses to
 * remove one that is not there, as dqlite does).
 */
public final class FakeCluster implements SidecarAdmin, RaftProtocol {

  private Membership membership;
  public final List<String> log = new CopyOnWriteArrayList<>();

  public FakeCluster(String notation) {
    this.membership = Fixtures.membership(notation);
  }

  public synchronized Membership membership() {
    return membership;
  }

  @Override
  public synchronized CompletableFuture<SidecarView> cluster(URI admin, AdminToken token) {
    for (RaftMember m : membership.members()) {
      int ordinal = ordinal(m);
      if (ordinal >= 0 && m.online() && admin.equals(FakeSidecars.uri(Fixtures.ip(ordinal)))) {
        return CompletableFuture.completedFuture(Fixtures.view(membership, ordinal, null));
      }
    }
    return CompletableFuture.failedFuture(new IOException("connection refused: " + admin));
  }

  /** The exclude list of each handover, in order. */
  public final List<java.util.Set<Long>> excludes = new CopyOnWriteArrayList<>();

  @Override
  public synchronized HandoverResult handover(
      URI admin, AdminToken token, long nodeId, java.util.Set<Long> exclude) {
    excludes.add(exclude);
    return handover(admin, token, nodeId);
  }

  @Override
  public synchronized HandoverResult handover(URI admin, AdminToken token, long nodeId) {
    RaftMember self = null;
    for (RaftMember m : membership.members()) {
      int ordinal = ordinal(m);
      if (ordinal >= 0 && admin.equals(FakeSidecars.uri(Fixtures.ip(ordinal)))) {
        self = m;
      }
    }
    if (self == null) {
      return new HandoverResult(409, null, "not a member", null);
    }
    if (self.id() != nodeId) {
      // As the sidecar does for a handover naming another node (a reused pod IP).
      return new HandoverResult(409, null, "runs node " + self.hexId() + ", not 0x"
          + Long.toHexString(nodeId), null);
    }
    long selfId = self.id();
    log.add("handover " + self.hexId());
    List<RaftMember> members = new ArrayList<>();
    Optional<Membership.Leader> leader = membership.leader();
    for (RaftMember m : membership.members()) {
      if (m.id() == selfId) {
        members.add(new RaftMember(m.id(), m.address(), NodeRole.SPARE, m.online(), 1L, null));
      } else {
        members.add(m);
      }
    }
    if (leader.isPresent() && leader.get().id() == selfId) {
      RaftMember next =
          members.stream()
              .filter(m -> m.role() == NodeRole.VOTER && m.online() && m.id() != selfId)
              .findFirst()
              .orElseThrow();
      leader = Optional.of(new Membership.Leader(next.id(), next.address()));
    }
    membership = new Membership(Membership.Source.SIDECAR, leader, members, Map.of(), List.of());
    return new HandoverResult(200, "success", null, "spare");
  }

  @Override
  public synchronized Membership read(DqliteCluster cr, Map<String, String> dialAddresses) {
    return Membership.unknown(Map.of(), List.of("protocol not simulated"));
  }

  @Override
  public synchronized void remove(DqliteCluster cr, String leaderDialAddress, long id)
      throws DqliteException {
    String leaderDial =
        membership.leader().map(l -> Fixtures.ip(ordinal(l.address())) + ":9001").orElse("");
    if (!leaderDial.equals(leaderDialAddress)) {
      throw new DqliteException(0, "not leader", leaderDialAddress);
    }
    if (membership.member(id).isEmpty()) {
      throw new DqliteException(0, "node 0x" + Long.toHexString(id) + " not found", leaderDial);
    }
    log.add("remove 0x" + Long.toHexString(id));
    List<RaftMember> members = membership.members().stream().filter(m -> m.id() != id).toList();
    membership =
        new Membership(
            Membership.Source.SIDECAR, membership.leader(), members, Map.of(), List.of());
  }

  private static int ordinal(RaftMember m) {
    return ordinal(m.address());
  }

  private static int ordinal(String address) {
    for (int i = 0; i < 100; i++) {
      if (address.equals(Fixtures.address(i))) {
        return i;
      }
    }
    return -1;
  }
}
