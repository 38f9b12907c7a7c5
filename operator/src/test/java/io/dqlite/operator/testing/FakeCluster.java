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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A simulated dqlite cluster behind the sidecar and protocol interfaces: the pod with IP {@link
 * Fixtures#ip} answers {@code /cluster} with the current membership; a handover demotes the node to
 * spare and moves leadership to another online voter; a removal drops the member (and refuses to
 * remove one that is not there, as dqlite does). Pods can be stopped and started ({@link #stopped},
 * {@link #started}) and a pod can lose its volume ({@link #newNode}); every change of the
 * membership is checked for a quorum of online voters ({@link #quorumLosses}).
 */
public final class FakeCluster implements SidecarAdmin, RaftProtocol {

  private Membership membership;
  public final List<String> log = new CopyOnWriteArrayList<>();

  /** Every Remove asked for, successful or not, by id (0x hex). */
  public final Map<String, Integer> removeCalls = new ConcurrentHashMap<>();

  /** Each membership in which fewer than a majority of the voters were online. */
  public final List<String> quorumLosses = new CopyOnWriteArrayList<>();

  /** The role each member had at the start: the App gives it back after a restart. */
  private final Map<Long, NodeRole> roles = new HashMap<>();

  /** Pods whose volume was lost: the new node's id, until it joined. */
  private final Map<Integer, Long> newNodes = new HashMap<>();

  private int minOnlineVoters = Integer.MAX_VALUE;

  /** Asked before each handover and Remove, told after: tests kill an operator there. */
  public interface Acts {
    boolean mayAct();

    void acted(String act);
  }

  /** The gate of the operator instance now running; by default every act is allowed. */
  public volatile Acts acts =
      new Acts() {
        @Override
        public boolean mayAct() {
          return true;
        }

        @Override
        public void acted(String act) {}
      };

  public FakeCluster(String notation) {
    this.membership = Fixtures.membership(notation);
    membership.members().forEach(m -> roles.put(m.id(), m.role()));
    check();
  }

  /** The fewest voters online in any membership so far. */
  public synchronized int minOnlineVoters() {
    return minOnlineVoters;
  }

  /**
   * Pod {@code ordinal} now runs a new node {@code id} (its volume was lost): its sidecar reports
   * that id, the old member is offline, and the new node joins (as a voter, the App promoting it)
   * as soon as the old member is removed.
   */
  public synchronized void newNode(int ordinal, long id) {
    newNodes.put(ordinal, id);
    setOnline(ordinal, false);
  }

  /** Pod {@code ordinal}'s node stopped (its pod was deleted). */
  public synchronized void stopped(int ordinal) {
    setOnline(ordinal, false);
  }

  /** Pod {@code ordinal}'s node runs again, with the role it had at the start. */
  public synchronized void started(int ordinal) {
    if (!newNodes.containsKey(ordinal)) {
      setOnline(ordinal, true);
    }
  }

  private void setOnline(int ordinal, boolean online) {
    List<RaftMember> members = new ArrayList<>();
    for (RaftMember m : membership.members()) {
      if (ordinal(m) == ordinal) {
        NodeRole role = online ? roles.getOrDefault(m.id(), m.role()) : m.role();
        members.add(new RaftMember(m.id(), m.address(), role, online, online ? 1L : null, null));
      } else {
        members.add(m);
      }
    }
    set(membership.leader(), members);
  }

  private void set(Optional<Membership.Leader> leader, List<RaftMember> members) {
    membership = new Membership(Membership.Source.SIDECAR, leader, members, Map.of(), List.of());
    check();
  }

  private void check() {
    List<RaftMember> voters =
        membership.members().stream().filter(m -> m.role() == NodeRole.VOTER).toList();
    long online = voters.stream().filter(RaftMember::online).count();
    minOnlineVoters = (int) Math.min(minOnlineVoters, online);
    if (online * 2 <= voters.size()) {
      quorumLosses.add(online + " of " + voters.size() + " voters online: " + voters);
    }
  }

  public synchronized Membership membership() {
    return membership;
  }

  @Override
  public synchronized CompletableFuture<SidecarView> cluster(URI admin, AdminToken token) {
    for (Map.Entry<Integer, Long> n : newNodes.entrySet()) {
      if (admin.equals(FakeSidecars.uri(Fixtures.ip(n.getKey())))) {
        String address = Fixtures.address(n.getKey());
        SidecarView.Self self =
            new SidecarView.Self(
                "0x" + Long.toHexString(n.getValue()),
                address,
                "spare",
                null,
                "downward",
                0L,
                false,
                false);
        return CompletableFuture.completedFuture(
            new SidecarView(self, null, List.of(), "2026-11-25T10:00:00Z", "not a member yet"));
      }
    }
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
    if (!acts.mayAct()) {
      return new HandoverResult(503, null, "injected: the operator is gone", null);
    }
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
      return new HandoverResult(
          409, null, "runs node " + self.hexId() + ", not 0x" + Long.toHexString(nodeId), null);
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
    set(leader, members);
    acts.acted("handover " + self.hexId());
    return new HandoverResult(200, "success", null, "spare");
  }

  @Override
  public synchronized Membership read(DqliteCluster cr, Map<String, String> dialAddresses) {
    return Membership.unknown(Map.of(), List.of("protocol not simulated"));
  }

  @Override
  public synchronized void remove(DqliteCluster cr, String leaderDialAddress, long id)
      throws DqliteException {
    if (!acts.mayAct()) {
      throw new DqliteException(0, "injected: the operator is gone", leaderDialAddress);
    }
    removeCalls.merge("0x" + Long.toHexString(id), 1, Integer::sum);
    String leaderDial =
        membership.leader().map(l -> Fixtures.ip(ordinal(l.address())) + ":9001").orElse("");
    if (!leaderDial.equals(leaderDialAddress)) {
      throw new DqliteException(0, "not leader", leaderDialAddress);
    }
    if (membership.member(id).isEmpty()) {
      throw new DqliteException(0, "node 0x" + Long.toHexString(id) + " not found", leaderDial);
    }
    log.add("remove 0x" + Long.toHexString(id));
    acts.acted("remove 0x" + Long.toHexString(id));
    RaftMember gone = membership.member(id).orElseThrow();
    List<RaftMember> members =
        new ArrayList<>(membership.members().stream().filter(m -> m.id() != id).toList());
    set(membership.leader(), List.copyOf(members));
    Long joining = newNodes.remove(ordinal(gone));
    if (joining != null) {
      // The new node's join, retried every second, succeeds now that its address is free.
      members.add(new RaftMember(joining, gone.address(), gone.role(), true, 1L, null));
      roles.put(joining, gone.role());
      set(membership.leader(), List.copyOf(members));
    }
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
