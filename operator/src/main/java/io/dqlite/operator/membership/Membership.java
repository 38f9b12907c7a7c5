package io.dqlite.operator.membership;

import io.dqlite.operator.plan.MemberIds;
import io.dqlite.sidecar.api.SidecarView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The raft membership as the operator could read it: authoritative only when {@link #leader()} is
 * present (the configuration then comes from the leader).
 *
 * @param source where it came from
 * @param leader the leader's id and address; empty when no leader could be found
 * @param members the configuration; empty without a leader
 * @param selves what each answering sidecar said about itself, by pod name
 * @param problems why pods could not be asked, one line each (for messages and logs)
 */
public record Membership(
    Source source,
    Optional<Leader> leader,
    List<RaftMember> members,
    Map<String, SidecarView.Self> selves,
    List<String> problems) {

  /** Where a membership was read. */
  public enum Source {
    /** A sidecar's {@code GET /cluster}. */
    SIDECAR,
    /** The dqlite protocol, directly to the nodes (the fallback). */
    PROTOCOL,
    /** Nothing answered with a leader. */
    NONE
  }

  /** The leader: raft id and address. */
  public record Leader(long id, String address) {}

  /**
   * A member whose address is served by another node: the node at its address reports a different
   * id (its volume was lost and it started again as a new node). The member itself is gone.
   *
   * @param member the stale member, as the configuration lists it (marked offline)
   * @param nodeId the id the node at its address reports
   */
  public record Stale(RaftMember member, long nodeId) {}

  /**
   * Members are matched to nodes by id, not only by address: a member whose address is served by a
   * node reporting another id ({@code selves}) is marked offline whatever the probe said, since the
   * probe reached the new node, not the member.
   */
  public Membership {
    selves = Map.copyOf(selves);
    Map<String, Long> ids = idsByAddress(selves);
    members =
        members.stream()
            .map(
                m -> {
                  Long id = ids.get(m.address());
                  return id == null || id == m.id() || !m.online()
                      ? m
                      : new RaftMember(m.id(), m.address(), m.role(), false, null, null);
                })
            .toList();
    problems = List.copyOf(problems);
  }

  /** The members whose address is served by a node with another id; see {@link Stale}. */
  public List<Stale> stale() {
    Map<String, Long> ids = idsByAddress(selves);
    return members.stream()
        .filter(m -> ids.containsKey(m.address()) && ids.get(m.address()) != m.id())
        .map(m -> new Stale(m, ids.get(m.address())))
        .toList();
  }

  /** The id each answering node reports, by its raft address; unreadable ids are skipped. */
  private static Map<String, Long> idsByAddress(Map<String, SidecarView.Self> selves) {
    Map<String, Long> ids = new HashMap<>();
    for (SidecarView.Self self : selves.values()) {
      if (self == null || self.address() == null || self.id() == null) {
        continue;
      }
      try {
        ids.put(self.address(), MemberIds.parse(self.id()));
      } catch (IllegalArgumentException e) {
        // A sidecar that reports no readable id says nothing about who serves its address.
      }
    }
    return ids;
  }

  /** No leader found; {@code selves} and {@code problems} say what was seen. */
  public static Membership unknown(Map<String, SidecarView.Self> selves, List<String> problems) {
    return new Membership(Source.NONE, Optional.empty(), List.of(), selves, problems);
  }

  public boolean hasLeader() {
    return leader.isPresent();
  }

  /** The member with this id, if the configuration lists it. */
  public Optional<RaftMember> member(long id) {
    return members.stream().filter(m -> m.id() == id).findFirst();
  }

  /** The member known by this raft address. */
  public Optional<RaftMember> memberAt(String address) {
    return members.stream().filter(m -> m.address().equals(address)).findFirst();
  }
}
