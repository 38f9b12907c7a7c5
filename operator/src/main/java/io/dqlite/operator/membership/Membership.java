package io.dqlite.operator.membership;

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

  public Membership {
    members = List.copyOf(members);
    selves = Map.copyOf(selves);
    problems = List.copyOf(problems);
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
