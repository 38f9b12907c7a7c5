package io.dqlite.sidecar.roles;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.sidecar.api.SidecarPorts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@link RolesChanges} settles for a cluster of {@code nodes} nodes, all online, grown as the
 * App grows one: the first node votes, every other joins as a spare, and the leader adjusts one
 * change at a time until nothing is left to change. The operator states its expectations (status,
 * conditions) with this, so that it expects exactly what the sidecars do.
 *
 * @param voters the voters it settles on
 * @param standBys the stand-bys it settles on
 */
public record SettledRoles(int voters, int standBys) {

  /** Where the algorithm configured by {@code config} settles for {@code nodes} nodes. */
  public static SettledRoles of(RolesConfig config, int nodes) {
    if (nodes <= 0) {
      return new SettledRoles(0, 0);
    }
    List<NodeInfo> members = new ArrayList<>();
    Map<Long, ProbeResult> probes = new LinkedHashMap<>();
    for (long id = 1; id <= nodes; id++) {
      NodeRole role = id == 1 ? NodeRole.VOTER : NodeRole.SPARE;
      members.add(new NodeInfo(id, "node-" + id + ":" + SidecarPorts.RAFT, role));
      probes.put(id, new ProbeResult(0, 0));
    }
    // Each change moves one node towards its settled role: a few changes per node at most.
    for (int step = 0; step <= 4 * nodes + 10; step++) {
      Optional<RoleChange> change = new RolesChanges(config, members, probes).adjust(1);
      if (change.isEmpty()) {
        return new SettledRoles(count(members, NodeRole.VOTER), count(members, NodeRole.STANDBY));
      }
      NodeInfo target = change.get().first();
      members.replaceAll(
          m -> m.id() == target.id() ? new NodeInfo(m.id(), m.address(), change.get().role()) : m);
    }
    throw new IllegalStateException(
        "the role algorithm did not settle for " + nodes + " nodes with " + config);
  }

  private static int count(List<NodeInfo> members, NodeRole role) {
    return (int) members.stream().filter(m -> m.role() == role).count();
  }
}
