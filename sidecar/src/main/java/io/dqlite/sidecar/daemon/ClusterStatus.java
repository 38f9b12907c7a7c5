package io.dqlite.sidecar.daemon;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as this sidecar last saw it, from the leader's configuration and a describe probe of
 * every member (go-dqlite's notion of online: it answered within 2 s).
 *
 * @param observedAt when the view was taken
 * @param leader the leader, empty when none was reachable
 * @param members every member with role, online state, failure domain and weight
 * @param error why the view is incomplete (no leader, cluster request failed), or empty
 */
public record ClusterStatus(
    Instant observedAt, Optional<NodeInfo> leader, List<Member> members, Optional<String> error) {

  public ClusterStatus {
    members = List.copyOf(members);
  }

  /** A member as seen from the leader, plus what it said about itself. */
  public record Member(
      long id, String address, NodeRole role, boolean online, long failureDomain, long weight) {
    public String hexId() {
      return "0x" + Long.toHexString(id);
    }
  }

  /** The view before the first refresh. */
  public static ClusterStatus unknown() {
    return new ClusterStatus(
        Instant.EPOCH, Optional.empty(), List.of(), Optional.of("not observed yet"));
  }

  /** A view in which no leader could be asked. */
  public static ClusterStatus failed(Instant at, String error) {
    return new ClusterStatus(at, Optional.empty(), List.of(), Optional.of(error));
  }

  /** The member with {@code id}, if the leader lists it. */
  public Optional<Member> member(long id) {
    return members.stream().filter(m -> m.id() == id).findFirst();
  }

  /** How many members have {@code role} and are (or are not) online. */
  public int count(NodeRole role, boolean online) {
    return (int) members.stream().filter(m -> m.role() == role && m.online() == online).count();
  }
}
