package io.dqlite.operator.membership;

import io.dqlite.client.model.NodeRole;
import io.dqlite.operator.plan.MemberIds;
import java.util.Objects;

/**
 * A member of the raft configuration as observed, whatever the source.
 *
 * @param id raft node id
 * @param address the address raft knows it by
 * @param role its role
 * @param online whether it answered a describe probe
 * @param failureDomain what it reported; null when it did not answer
 * @param zone the zone it reported about itself, or null
 */
public record RaftMember(
    long id, String address, NodeRole role, boolean online, Long failureDomain, String zone) {

  public RaftMember {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(role, "role");
  }

  public String hexId() {
    return MemberIds.hex(id);
  }
}
