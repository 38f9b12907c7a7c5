package io.dqlite.operator.plan;

import io.dqlite.client.model.NodeRole;
import io.dqlite.operator.crd.ScaleDownStatus;
import io.dqlite.operator.crd.ScaleDownStatus.Removal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Scaling a cluster: which members leave raft, in what order, and when the StatefulSet may change.
 * Pure: the operator observes, plans, takes the one step returned, and plans again.
 *
 * <p>Scale-down: the members of pods at or above the desired count leave, highest ordinal first. A
 * member that leads, or an online voter whose role another online node can take, is drained first
 * (its sidecar hands over); then it is removed from raft, unless it is a voter whose removal would
 * leave too few voters online for a quorum. Only members present in raft are ever removed, so a
 * member already gone is skipped, never removed twice. Only when no member is left above the
 * desired count is the StatefulSet shrunk, so pods never disappear while still members.
 *
 * <p>Bookkeeping ({@code status.scaleDown}): the (ordinal, id) of every member set to leave is
 * written before the first step. After an operator restart the plan resumes from the observations
 * alone; the bookkeeping adds what observations cannot show: that a pod still running, or a volume
 * still retained, belongs to a member that was removed. Such a pod's data directory names a member
 * raft no longer has, so it would never rejoin; if its ordinal is wanted again (the scale-down was
 * cancelled, or a later scale-up), it is recycled (claim deleted) before the StatefulSet grows, and
 * the entry is kept until a member runs in that pod again.
 */
public final class ScalePlanner {

  private ScalePlanner() {}

  /**
   * The next step.
   *
   * @param desired {@code spec.replicas}
   * @param statefulSetReplicas the StatefulSet's current {@code spec.replicas} (0 if it does not
   *     exist yet)
   * @param members the raft configuration; authoritative only if one member is the leader
   * @param bookkeeping the current {@code status.scaleDown}, or null
   * @param volumesRetainedWhenScaled whether the claim retention policy keeps the volumes of pods
   *     scaled away
   */
  public static ScalePlan plan(
      int desired,
      int statefulSetReplicas,
      List<Member> members,
      ScaleDownStatus bookkeeping,
      boolean volumesRetainedWhenScaled) {
    // Claims not read: deleted with their pods unless retained, then taken as all still there.
    Set<Integer> claimsLeft =
        volumesRetainedWhenScaled && bookkeeping != null && bookkeeping.getRemovals() != null
            ? bookkeeping.getRemovals().stream()
                .map(Removal::getOrdinal)
                .collect(java.util.stream.Collectors.toSet())
            : Set.of();
    return plan(
        desired, statefulSetReplicas, members, bookkeeping, volumesRetainedWhenScaled, claimsLeft);
  }

  /**
   * The plan, with the ordinals whose data claim still exists: a removal scaled away is remembered
   * until its claim is gone, not only its pod (the StatefulSet controller deletes the claim after
   * the pod; a scale-up before then would start a pod on the removed member's volume). With volumes
   * retained the claim stays until someone deletes it, and the entry with it: not for good.
   */
  public static ScalePlan plan(
      int desired,
      int statefulSetReplicas,
      List<Member> members,
      ScaleDownStatus bookkeeping,
      boolean volumesRetainedWhenScaled,
      Set<Integer> claimsLeft) {
    boolean haveLeader = members.stream().anyMatch(Member::leader);
    List<Removal> previous = bookkeeping == null ? List.of() : bookkeeping.getRemovals();
    if (previous == null) {
      previous = List.of();
    }
    if (!haveLeader) {
      // Without a leader the membership is unknown: adding pods is safe (they join when a leader
      // appears), removing members or recycling pods is not.
      if (previous.isEmpty() && statefulSetReplicas < desired) {
        return new ScalePlan(
            new ScaleStep.Grow(
                desired, "create pods " + statefulSetReplicas + ".." + (desired - 1)),
            List.of(),
            null);
      }
      ScaleStep step =
          previous.isEmpty() && statefulSetReplicas == desired
              ? new ScaleStep.Done()
              : new ScaleStep.Wait("no raft leader: the membership cannot be read or changed");
      return new ScalePlan(step, List.of(), bookkeeping);
    }

    List<Member> condemned =
        members.stream()
            .filter(m -> m.ordinal().isPresent() && m.ordinal().getAsInt() >= desired)
            .sorted(Comparator.comparingInt((Member m) -> m.ordinal().getAsInt()).reversed())
            .toList();
    List<Removal> removals =
        keep(
            previous, desired, statefulSetReplicas, members, volumesRetainedWhenScaled, claimsLeft);
    for (Member m : condemned) {
      if (removals.stream().noneMatch(r -> matches(r, m))) {
        removals.add(new Removal(m.ordinal().getAsInt(), m.hexId()));
      }
    }
    removals.sort(Comparator.comparing(Removal::getOrdinal).reversed());
    ScaleDownStatus newBookkeeping =
        removals.isEmpty() ? null : new ScaleDownStatus(desired, removals);
    List<Integer> order = condemned.stream().map(m -> m.ordinal().getAsInt()).toList();
    return new ScalePlan(
        next(desired, statefulSetReplicas, members, condemned, removals), order, newBookkeeping);
  }

  /** The bookkeeping after the pod of {@code ordinal} was recycled. */
  public static ScaleDownStatus markRecycled(ScaleDownStatus bookkeeping, int ordinal) {
    List<Removal> removals = new ArrayList<>();
    for (Removal r : bookkeeping.getRemovals()) {
      Removal copy = new Removal(r.getOrdinal(), r.getId());
      copy.setRecycled(r.getOrdinal() == ordinal || Boolean.TRUE.equals(r.getRecycled()));
      removals.add(copy);
    }
    return new ScaleDownStatus(bookkeeping.getReplicas(), removals);
  }

  private static ScaleStep next(
      int desired,
      int statefulSetReplicas,
      List<Member> members,
      List<Member> condemned,
      List<Removal> removals) {
    if (!condemned.isEmpty()) {
      return leave(condemned.get(0), members, condemned);
    }
    if (statefulSetReplicas > desired) {
      return new ScaleStep.Shrink(
          desired, "every member above ordinal " + (desired - 1) + " has left raft");
    }
    Optional<Removal> toRecycle =
        removals.stream()
            .filter(r -> needsRecycle(r, desired, members))
            .min(Comparator.comparing(Removal::getOrdinal));
    if (toRecycle.isPresent()) {
      return new ScaleStep.Recycle(
          toRecycle.get().getOrdinal(),
          "member "
              + toRecycle.get().getId()
              + " was removed from raft; its pod must start again on an empty volume");
    }
    if (statefulSetReplicas < desired) {
      return new ScaleStep.Grow(desired, "scale up from " + statefulSetReplicas);
    }
    Optional<Removal> rejoining =
        removals.stream().filter(r -> r.getOrdinal() < desired).findFirst();
    if (rejoining.isPresent()) {
      return new ScaleStep.Wait("pod " + rejoining.get().getOrdinal() + " is rejoining");
    }
    return new ScaleStep.Done();
  }

  /** The step that moves the highest condemned member toward leaving raft. */
  private static ScaleStep leave(Member m, List<Member> members, List<Member> condemned) {
    int ordinal = m.ordinal().getAsInt();
    String name = "pod " + ordinal + " (" + m.hexId() + ")";
    if (m.online() && m.leader()) {
      return new ScaleStep.Drain(ordinal, m.id(), name + " leads: hand leadership over first");
    }
    if (m.isVoter() && m.online() && hasReplacement(m, members, condemned)) {
      return new ScaleStep.Drain(
          ordinal, m.id(), name + " votes: promote an online node in its place first");
    }
    if (m.isVoter()) {
      List<Member> rest = members.stream().filter(o -> o.isVoter() && o.id() != m.id()).toList();
      long online = rest.stream().filter(Member::online).count();
      if (rest.isEmpty() || online * 2 <= rest.size()) {
        return new ScaleStep.Wait(
            "removing voter "
                + name
                + " would leave "
                + online
                + " of "
                + rest.size()
                + " voters online, short of a quorum");
      }
    }
    return new ScaleStep.Remove(ordinal, m.id(), name + " leaves raft");
  }

  /** Whether an online, non-voting member that is staying could be promoted in m's place. */
  private static boolean hasReplacement(Member m, List<Member> members, List<Member> condemned) {
    return members.stream()
        .anyMatch(
            o ->
                o.online()
                    && o.role() != NodeRole.VOTER
                    && o.id() != m.id()
                    && condemned.stream().noneMatch(c -> c.id() == o.id()));
  }

  /** The previous removals still worth remembering; see the class comment. */
  private static List<Removal> keep(
      List<Removal> previous,
      int desired,
      int statefulSetReplicas,
      List<Member> members,
      boolean volumesRetained,
      Set<Integer> claimsLeft) {
    List<Removal> kept = new ArrayList<>();
    for (Removal r : previous) {
      boolean inRaft = members.stream().anyMatch(m -> matches(r, m));
      int ordinal = r.getOrdinal();
      boolean keep;
      if (inRaft) {
        keep = ordinal >= desired; // below desired: cancelled before removal, the pod is fine
      } else if (ordinal >= desired) {
        // Removed. Its volume matters until it is gone: while the pod runs, then while its claim
        // is there (deleted by the StatefulSet controller, or by a person when retained).
        keep = ordinal < statefulSetReplicas || claimsLeft.contains(ordinal);
      } else {
        // Removed, and wanted again: until a member runs in that pod again.
        keep = members.stream().noneMatch(m -> m.inPod(ordinal));
      }
      if (keep) {
        kept.add(r);
      }
    }
    return kept;
  }

  private static boolean needsRecycle(Removal r, int desired, List<Member> members) {
    return r.getOrdinal() < desired
        && !Boolean.TRUE.equals(r.getRecycled())
        && members.stream().noneMatch(m -> m.inPod(r.getOrdinal()) || matches(r, m));
  }

  private static boolean matches(Removal r, Member m) {
    return m.inPod(r.getOrdinal()) && Objects.equals(r.getId(), m.hexId());
  }
}
