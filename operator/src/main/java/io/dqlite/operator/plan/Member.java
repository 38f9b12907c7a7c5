package io.dqlite.operator.plan;

import io.dqlite.client.model.NodeRole;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A member of the raft configuration as the operator observed it: the leader's cluster answer, each
 * node's probe, and the pod its address maps to.
 *
 * @param id raft node id
 * @param address the node's raft address
 * @param ordinal the pod ordinal of the address; empty for a node that is not one of the cluster's
 *     pods
 * @param role the node's role
 * @param online whether the node answered its probe
 * @param leader whether the node is the raft leader
 */
public record Member(
    long id, String address, OptionalInt ordinal, NodeRole role, boolean online, boolean leader) {

  public Member {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(ordinal, "ordinal");
    Objects.requireNonNull(role, "role");
  }

  public boolean isVoter() {
    return role == NodeRole.VOTER;
  }

  /** Whether this member runs in the pod with the given ordinal. */
  public boolean inPod(int podOrdinal) {
    return ordinal.isPresent() && ordinal.getAsInt() == podOrdinal;
  }

  /** The id as go-dqlite prints it and the status stores it: {@code 0x} and lower-case hex. */
  public String hexId() {
    return MemberIds.hex(id);
  }

  /** The pod name or address, for messages. */
  public String describe(String podPrefix) {
    return ordinal.isPresent() ? podPrefix + ordinal.getAsInt() : address;
  }
}
