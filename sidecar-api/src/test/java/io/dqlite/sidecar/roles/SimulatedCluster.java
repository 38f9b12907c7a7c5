package io.dqlite.sidecar.roles;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster in memory that the role decisions are applied to, the way the App applies them: the
 * first candidate always accepts its new role.
 */
final class SimulatedCluster {

  /** More steps than any settling needs; reaching it means the rules do not converge. */
  static final int MAX_STEPS = 200;

  private final RolesConfig config;
  private final List<NodeInfo> members = new ArrayList<>();
  private final Map<Long, ProbeResult> online = new HashMap<>();
  private final Map<Long, ProbeResult> known = new HashMap<>();

  SimulatedCluster(RolesConfig config) {
    this.config = config;
  }

  /** Adds a member; online with the given domain and weight. */
  SimulatedCluster add(long id, NodeRole role, long domain, long weight) {
    members.add(new NodeInfo(id, "127.0.4." + id + ":9001", role));
    known.put(id, new ProbeResult(domain, weight));
    online.put(id, known.get(id));
    return this;
  }

  /** A node joins as go-dqlite's App does: added as spare, then assume and promote alongside. */
  SimulatedCluster join(long id, long domain) {
    add(id, NodeRole.SPARE, domain, 0);
    RolesChanges before = snapshot();
    before.assume(id).ifPresent(role -> assign(id, role));
    before.promoteAlongside(id).ifPresent(change -> assign(change.first().id(), change.role()));
    return this;
  }

  void setOnline(long id, boolean up) {
    if (up) {
      online.put(id, known.get(id));
    } else {
      online.remove(id);
    }
  }

  /** Takes every node of a failure domain down or up. */
  void setDomainOnline(long domain, boolean up) {
    for (NodeInfo node : members) {
      if (known.get(node.id()).failureDomain() == domain) {
        setOnline(node.id(), up);
      }
    }
  }

  RolesChanges snapshot() {
    return new RolesChanges(config, members, online);
  }

  /**
   * Runs the leader's adjustment loop until nothing is left to change, checking that the leader is
   * never demoted; returns the number of changes.
   */
  int settle(long leader) {
    for (int step = 0; step < MAX_STEPS; step++) {
      Optional<RoleChange> change = snapshot().adjust(leader);
      if (change.isEmpty()) {
        return step;
      }
      RoleChange c = change.get();
      if (c.role() != NodeRole.VOTER) {
        assertThat(c.candidates())
            .as("demotion candidates of %s", this)
            .noneMatch(n -> n.id() == leader);
      }
      assign(c.first().id(), c.role());
    }
    throw new AssertionError("no convergence after " + MAX_STEPS + " steps: " + snapshot());
  }

  void assign(long id, NodeRole role) {
    for (int i = 0; i < members.size(); i++) {
      NodeInfo node = members.get(i);
      if (node.id() == id) {
        members.set(i, new NodeInfo(id, node.address(), role));
        return;
      }
    }
    throw new IllegalArgumentException("no node " + id);
  }

  NodeRole role(long id) {
    return members.stream().filter(n -> n.id() == id).findFirst().orElseThrow().role();
  }

  /** The distinct failure domains of the online voters. */
  long voterDomains() {
    return members.stream()
        .filter(n -> n.role() == NodeRole.VOTER && online.containsKey(n.id()))
        .map(n -> online.get(n.id()).failureDomain())
        .distinct()
        .count();
  }

  /** The distinct failure domains of the online nodes. */
  long onlineDomains() {
    return online.values().stream().map(ProbeResult::failureDomain).distinct().count();
  }

  int onlineCount() {
    return online.size();
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
