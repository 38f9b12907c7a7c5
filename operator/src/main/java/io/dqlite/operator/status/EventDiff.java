package io.dqlite.operator.status;

import io.dqlite.operator.crd.ConditionTypes;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.crd.MemberStatus;
import io.dqlite.operator.crd.TlsStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Events that tell what changed between two statuses: members that joined or left, role changes
 * (seen between two reconciliations), members going offline or coming back, a new leader, and the
 * Degraded condition turning on, changing reason or clearing. Pure; the steps the operator takes
 * itself (handover, removal, rolling restart) are recorded where they are taken.
 */
public final class EventDiff {

  private EventDiff() {}

  public static List<ClusterEvent> diff(DqliteClusterStatus before, DqliteClusterStatus after) {
    List<ClusterEvent> events = new ArrayList<>();
    members(list(before), list(after), events);
    leader(before, after, events);
    degraded(before, after, events);
    tls(before, after, events);
    return events;
  }

  private static void members(
      List<MemberStatus> before, List<MemberStatus> after, List<ClusterEvent> events) {
    Map<String, MemberStatus> old = byId(before);
    Map<String, MemberStatus> now = byId(after);
    for (MemberStatus m : after) {
      MemberStatus was = old.get(m.getId());
      if (was == null) {
        events.add(
            ClusterEvent.normal(
                "MemberJoined",
                "Observe",
                name(m) + " joined the raft configuration as " + m.getRole()));
        continue;
      }
      if (!Objects.equals(was.getRole(), m.getRole())) {
        boolean up = rank(m.getRole()) > rank(was.getRole());
        events.add(
            ClusterEvent.normal(
                up ? "MemberPromoted" : "MemberDemoted",
                "Observe",
                name(m)
                    + (up ? " promoted" : " demoted")
                    + " from "
                    + was.getRole()
                    + " to "
                    + m.getRole()));
      }
      if (Boolean.TRUE.equals(was.getOnline()) && !Boolean.TRUE.equals(m.getOnline())) {
        events.add(
            ClusterEvent.warning("MemberOffline", "Observe", name(m) + " stopped answering"));
      } else if (!Boolean.TRUE.equals(was.getOnline()) && Boolean.TRUE.equals(m.getOnline())) {
        events.add(ClusterEvent.normal("MemberOnline", "Observe", name(m) + " answers again"));
      }
    }
    for (MemberStatus m : before) {
      if (!now.containsKey(m.getId())) {
        events.add(
            ClusterEvent.normal(
                "MemberRemoved", "Observe", name(m) + " left the raft configuration"));
      }
    }
  }

  private static void leader(
      DqliteClusterStatus before, DqliteClusterStatus after, List<ClusterEvent> events) {
    String was = before == null ? null : before.getLeader();
    String now = after.getLeader();
    if (now != null && !now.equals(was)) {
      events.add(
          ClusterEvent.normal(
              "LeaderElected",
              "Observe",
              now + " leads" + (was == null ? "" : " (was " + was + ")")));
    }
  }

  private static void degraded(
      DqliteClusterStatus before, DqliteClusterStatus after, List<ClusterEvent> events) {
    Optional<Condition> was =
        Conditions.find(before == null ? null : before.getConditions(), ConditionTypes.DEGRADED);
    Optional<Condition> now = Conditions.find(after.getConditions(), ConditionTypes.DEGRADED);
    boolean wasTrue = was.map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
    boolean isTrue = now.map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false);
    if (isTrue && (!wasTrue || !Objects.equals(was.get().getReason(), now.get().getReason()))) {
      events.add(ClusterEvent.warning(now.get().getReason(), "Observe", now.get().getMessage()));
    } else if (wasTrue && !isTrue) {
      events.add(
          ClusterEvent.normal(
              "Recovered", "Observe", "no longer degraded (was " + was.get().getReason() + ")"));
    }
  }

  /**
   * A Warning when the TLS mode differs from the spec's, or a cluster without spec.tls runs
   * plaintext ({@link io.dqlite.operator.plan.TlsModeDecision}): once when it appears or changes.
   */
  private static void tls(
      DqliteClusterStatus before, DqliteClusterStatus after, List<ClusterEvent> events) {
    TlsStatus was = before == null ? null : before.getTls();
    TlsStatus now = after.getTls();
    if (now == null || now.getReason() == null) {
      return;
    }
    if (was == null
        || !Objects.equals(was.getReason(), now.getReason())
        || !Objects.equals(was.getMessage(), now.getMessage())) {
      events.add(ClusterEvent.warning(now.getReason(), "Observe", now.getMessage()));
    }
  }

  private static List<MemberStatus> list(DqliteClusterStatus status) {
    return status == null || status.getMembers() == null ? List.of() : status.getMembers();
  }

  private static Map<String, MemberStatus> byId(List<MemberStatus> members) {
    return members.stream()
        .filter(m -> m.getId() != null)
        .collect(Collectors.toMap(MemberStatus::getId, Function.identity(), (a, b) -> a));
  }

  private static String name(MemberStatus m) {
    return "member "
        + m.getId()
        + (m.getPod() == null ? " at " + m.getAddress() : " (" + m.getPod() + ")");
  }

  private static int rank(String role) {
    if (role == null) {
      return -1;
    }
    return switch (role) {
      case "voter" -> 2;
      case "stand-by", "standby" -> 1;
      default -> 0;
    };
  }
}
