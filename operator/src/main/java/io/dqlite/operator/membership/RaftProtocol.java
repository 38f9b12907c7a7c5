package io.dqlite.operator.membership;

import io.dqlite.client.model.DqliteException;
import io.dqlite.operator.crd.DqliteCluster;
import java.util.Map;

/**
 * What the operator does over the dqlite protocol itself; {@link DqliteRaftProtocol} in production.
 */
public interface RaftProtocol {

  /**
   * The membership read from the nodes directly: the first pod that names a leader, then the
   * leader's configuration, then a describe probe of every member.
   *
   * @param dialAddresses the dial address of each pod with an IP, by raft address
   * @return the membership, or {@link Membership#unknown} with the reasons
   */
  Membership read(DqliteCluster cr, Map<String, String> dialAddresses);

  /**
   * Removes a member from the configuration through the leader.
   *
   * @param leaderDialAddress where to reach the leader
   * @throws DqliteException when the leader refuses (e.g. no longer leader) or cannot be reached
   */
  void remove(DqliteCluster cr, String leaderDialAddress, long id) throws DqliteException;
}
