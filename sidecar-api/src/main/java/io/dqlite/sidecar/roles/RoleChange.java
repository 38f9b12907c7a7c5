package io.dqlite.sidecar.roles;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.util.List;
import java.util.Objects;

/**
 * A decision of {@link RolesChanges}: give {@code role} to one of {@code candidates}. The caller
 * tries the candidates in order and stops at the first assignment that succeeds, as go-dqlite's App
 * does.
 *
 * @param role the role to assign
 * @param candidates the nodes to try, best first; never empty
 * @param reason which rule decided, for logs and tests
 */
public record RoleChange(NodeRole role, List<NodeInfo> candidates, Reason reason) {

  public RoleChange {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(reason, "reason");
    candidates = List.copyOf(candidates);
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("a role change needs at least one candidate");
    }
  }

  /** The preferred candidate. */
  public NodeInfo first() {
    return candidates.get(0);
  }

  /** Which rule produced a change; the numbers are the branches of {@link RolesChanges#adjust}. */
  public enum Reason {
    /** Adjust 2: fewer than 3 nodes, so only the leader may vote. */
    SMALL_CLUSTER("cluster smaller than 3 nodes: only the leader votes"),
    /** Adjust 3 (go-dqlite v1.21.0): a failure domain with online nodes has no voter. */
    REBALANCE_DOMAINS("a failure domain has no voter while another has several"),
    /** Adjust 5: fewer online voters than the target. */
    VOTERS_SHORT("fewer online voters than the target"),
    /** Adjust 6: more online voters than the target. */
    VOTERS_EXCESS("more online voters than the target"),
    /** Adjust 7: a voter is offline. */
    VOTER_OFFLINE("a voter is offline"),
    /** Adjust 8: fewer online stand-bys than the target. */
    STANDBYS_SHORT("fewer online stand-bys than the target"),
    /** Adjust 9: more online stand-bys than the target. */
    STANDBYS_EXCESS("more online stand-bys than the target"),
    /** Adjust 10: a stand-by is offline. */
    STANDBY_OFFLINE("a stand-by is offline"),
    /** Handover: a node about to stop passes its role on. */
    HANDOVER("a node hands its role over before stopping"),
    /** After a node made itself the second voter, it promotes a third. */
    PROMOTE_ALONGSIDE("a new voter promotes another node to reach 3 voters");

    private final String description;

    Reason(String description) {
      this.description = description;
    }

    /** A sentence for logs. */
    public String description() {
      return description;
    }
  }
}
