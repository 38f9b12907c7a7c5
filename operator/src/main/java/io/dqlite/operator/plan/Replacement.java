package io.dqlite.operator.plan;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Replacing a member whose pod lost its volume. Pure.
 *
 * <p>A pod whose volume is lost (its node with local storage died, its claim was deleted) starts
 * again as a new node: a new raft id at the same address. Raft refuses to add it while the old
 * member holds that address, and the old member never comes back: a ghost that counts as a voter
 * and holds the quorum hostage. The operator sees it from the pod's own sidecar, which reports the
 * new id ({@code /cluster}'s {@code self.id}) while the configuration lists another id at its
 * address. The old member is then removed through the leader, and the new node's join, which it
 * retries every second, succeeds.
 *
 * <p>Only when it is safe: a leader is known (the configuration is authoritative), the new node is
 * not a member yet, the stale member does not lead, and, for a voter, a majority of the remaining
 * voters is online. Only pods that are wanted ({@code ordinal < spec.replicas}): members above go
 * through the scale-down. One member per step, the lowest ordinal first.
 */
public final class Replacement {

  private Replacement() {}

  /**
   * A member whose pod now runs another node.
   *
   * @param ordinal the pod's ordinal (from the member's address)
   * @param memberId the stale member's id, as the configuration lists it
   * @param nodeId the id the node in the pod reports
   */
  public record Stale(int ordinal, long memberId, long nodeId) {}

  /**
   * The replacement step: {@link ScaleStep.Replace} when a stale member can be removed now, {@link
   * ScaleStep.Wait} when one exists but removing it is not safe yet, empty when none exists.
   *
   * @param desired {@code spec.replicas}
   * @param members the raft configuration (stale members already marked offline)
   * @param stale the members whose pod reports another id
   */
  public static Optional<ScaleStep> next(int desired, List<Member> members, List<Stale> stale) {
    if (members.stream().noneMatch(Member::leader)) {
      return Optional.empty();
    }
    Optional<Stale> first =
        stale.stream()
            .filter(s -> s.ordinal() < desired && s.memberId() != s.nodeId())
            .filter(s -> members.stream().anyMatch(m -> m.id() == s.memberId()))
            .filter(s -> members.stream().noneMatch(m -> m.id() == s.nodeId()))
            .min(Comparator.comparingInt(Stale::ordinal));
    if (first.isEmpty()) {
      return Optional.empty();
    }
    Stale s = first.get();
    Member m = members.stream().filter(o -> o.id() == s.memberId()).findFirst().orElseThrow();
    String what =
        "pod "
            + s.ordinal()
            + " runs node "
            + MemberIds.hex(s.nodeId())
            + ", not member "
            + m.hexId()
            + " ("
            + m.role()
            + ") at its address";
    if (m.leader()) {
      return Optional.of(new ScaleStep.Wait(what + ", which the leader says leads: wait"));
    }
    if (m.isVoter()) {
      List<Member> rest = members.stream().filter(o -> o.isVoter() && o.id() != m.id()).toList();
      long online = rest.stream().filter(Member::online).count();
      if (rest.isEmpty() || online * 2 <= rest.size()) {
        return Optional.of(
            new ScaleStep.Wait(
                what
                    + "; removing it would leave "
                    + online
                    + " of "
                    + rest.size()
                    + " voters online, short of a quorum"));
      }
    }
    return Optional.of(
        new ScaleStep.Replace(
            s.ordinal(),
            s.memberId(),
            s.nodeId(),
            what + " (its data was lost): remove " + m.hexId() + " so that the new node joins"));
  }
}
