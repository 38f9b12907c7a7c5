package io.dqlite.operator.status;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.membership.RaftMember;
import io.dqlite.operator.plan.MemberIds;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What makes a cluster Degraded, each with a reason and a message, most urgent first. Pure.
 *
 * <ul>
 *   <li>{@code TlsSecretMissing}, {@code TlsSecretIncomplete}: the user's TLS Secret does not exist
 *       or lacks a key the sidecar reads ({@link io.dqlite.operator.steps.UserTls}): the cause of
 *       the pods' failures that may follow, so first.
 *   <li>{@code ClusterIdConflict}, {@code ClaimsUnreadable}, {@code ForeignVolumes}, {@code
 *       BootstrapRefused}: what the cluster identity blocks ({@link
 *       io.dqlite.operator.plan.BootstrapDecision}): volumes of this name holding two clusters, a
 *       claim of another cluster, or an adopted cluster whose pods have not elected a leader yet.
 *   <li>{@code ImagePullFailed}: a container's image cannot be pulled (ImagePullBackOff,
 *       ErrImagePull, InvalidImageName): that image will never start.
 *   <li>{@code ContainersFailing}: a container crash-loops or cannot be created.
 *   <li>{@code PodsUnschedulable}: the scheduler finds no node for a pod.
 *   <li>{@code TooFewNodes}: fewer schedulable nodes than voters wanted, so voters share nodes and
 *       one node failure can cost the quorum.
 *   <li>{@code ZoneLabelMissing}: no node carries {@code spec.zoneLabel}: every node shares one
 *       failure domain and roles cannot be spread over zones.
 *   <li>{@code ZonesNotSeenByNodes}: every member reports failure domain 0 while the Nodes its pods
 *       run on carry the zone label: the sidecars cannot see their zone ({@link
 *       VoterTopology#zonesNotSeen}).
 *   <li>{@code NoLeader}: the cluster was bootstrapped but no leader can be found.
 *   <li>{@code StaleMembers}: a pod runs a new node (its volume was lost) while the configuration
 *       still lists the old member at its address; the operator removes the old member.
 *   <li>{@code MembersOffline}: members of the raft configuration do not answer.
 *   <li>{@code PodsNotReady}: pods not ready for longer than the deadline.
 *   <li>{@code StepFailed}: the operator's last step (handover, removal, pod deletion) failed.
 * </ul>
 */
public final class DegradedCheck {

  /** How long a pod may stay not ready before the cluster counts as degraded. */
  public static final Duration NOT_READY_DEADLINE = Duration.ofMinutes(10);

  private static final Set<String> PULL_FAILURES =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
  private static final Set<String> START_FAILURES =
      Set.of(
          "CrashLoopBackOff",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError");

  private DegradedCheck() {}

  /** One reason for being degraded. */
  public record Issue(String reason, String message) {}

  public static List<Issue> issues(Observation o, Duration notReadyDeadline) {
    List<Issue> issues = new ArrayList<>();
    List<Pod> pods = o.livePods();
    o.tlsProblem().ifPresent(issues::add);
    o.identityProblem().ifPresent(issues::add);
    waiting(pods, PULL_FAILURES)
        .ifPresent(m -> issues.add(new Issue("ImagePullFailed", "image cannot be pulled: " + m)));
    waiting(pods, START_FAILURES)
        .ifPresent(m -> issues.add(new Issue("ContainersFailing", "containers failing: " + m)));
    unschedulable(pods)
        .ifPresent(m -> issues.add(new Issue("PodsUnschedulable", "no node for " + m)));
    nodes(o, issues);
    VoterTopology.zonesNotSeen(o).ifPresent(issues::add);
    raft(o, issues);
    notReady(pods, o.now(), notReadyDeadline)
        .ifPresent(
            m ->
                issues.add(
                    new Issue(
                        "PodsNotReady",
                        "not ready for more than " + notReadyDeadline.toMinutes() + "m: " + m)));
    o.failure().ifPresent(f -> issues.add(new Issue("StepFailed", f)));
    return issues;
  }

  private static void nodes(Observation o, List<Issue> issues) {
    if (!o.nodes().known()) {
      return;
    }
    int schedulable = o.nodes().schedulable();
    if (schedulable < o.expectedVoters()) {
      issues.add(
          new Issue(
              "TooFewNodes",
              schedulable
                  + " schedulable node(s) for "
                  + o.expectedVoters()
                  + " voters: voters share nodes, so one node failure can cost the quorum"));
    }
    String label = o.cr().getSpec().getZoneLabel();
    if (schedulable > 0 && o.nodes().zones(label).isEmpty()) {
      issues.add(
          new Issue(
              "ZoneLabelMissing",
              "no schedulable node has the label "
                  + label
                  + " (spec.zoneLabel): every node shares one failure domain, so roles cannot be"
                  + " spread over zones"));
    }
  }

  private static void raft(Observation o, List<Issue> issues) {
    DqliteCluster cr = o.cr();
    boolean bootstrapped =
        cr.getStatus() != null && Boolean.TRUE.equals(cr.getStatus().getBootstrapped());
    if (!o.membership().hasLeader()) {
      if (bootstrapped && !o.livePods().isEmpty()) {
        String why =
            o.membership().problems().isEmpty()
                ? ""
                : ": " + String.join("; ", o.membership().problems());
        issues.add(new Issue("NoLeader", "no raft leader found" + why));
      }
      return;
    }
    List<Membership.Stale> stale = o.membership().stale();
    if (!stale.isEmpty()) {
      issues.add(
          new Issue(
              "StaleMembers",
              stale.stream()
                  .map(
                      s ->
                          "member "
                              + s.member().hexId()
                              + " ("
                              + s.member().role()
                              + ") at "
                              + s.member().address()
                              + " is gone: that address now runs node "
                              + MemberIds.hex(s.nodeId())
                              + ", which joins once the member is removed")
                  .collect(Collectors.joining("; "))));
    }
    List<RaftMember> offline = o.membership().members().stream().filter(m -> !m.online()).toList();
    if (!offline.isEmpty()) {
      issues.add(
          new Issue(
              "MembersOffline",
              offline.size()
                  + " member(s) offline: "
                  + offline.stream()
                      .map(
                          m -> MemberIds.hex(m.id()) + " at " + m.address() + " (" + m.role() + ")")
                      .collect(Collectors.joining(", "))));
    }
  }

  /** Pods with a container waiting for one of the reasons: "pod (reason: message)". */
  private static Optional<String> waiting(List<Pod> pods, Set<String> reasons) {
    Map<String, String> found = new LinkedHashMap<>();
    for (Pod pod : pods) {
      if (pod.getStatus() == null) {
        continue;
      }
      Stream.concat(
              stream(pod.getStatus().getInitContainerStatuses()),
              stream(pod.getStatus().getContainerStatuses()))
          .filter(c -> c.getState() != null && c.getState().getWaiting() != null)
          .filter(c -> reasons.contains(c.getState().getWaiting().getReason()))
          .findFirst()
          .ifPresent(
              c ->
                  found.put(
                      pod.getMetadata().getName(),
                      c.getName()
                          + ": "
                          + c.getState().getWaiting().getReason()
                          + message(c.getState().getWaiting().getMessage())
                          + lastExit(c)));
    }
    return describe(found);
  }

  /**
   * Why a crash-looping container last stopped: the last line of its termination message, which for
   * the sidecar (FallbackToLogsOnError) is its log's tail, e.g. "cannot start: ... disk mode is not
   * supported by libdqlite 1.10.0 (...), which exports no dqlite_node_enable_disk_mode ...".
   */
  static String lastExit(ContainerStatus c) {
    if (c.getLastState() == null || c.getLastState().getTerminated() == null) {
      return "";
    }
    var t = c.getLastState().getTerminated();
    String text = t.getMessage() == null ? "" : t.getMessage().strip();
    String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1).strip();
    if (last.length() > MAX_EXIT_LINE) {
      last = last.substring(0, MAX_EXIT_LINE) + "...";
    }
    return "; last exit "
        + (t.getExitCode() == null ? "?" : t.getExitCode())
        + (last.isEmpty() ? "" : ": " + last);
  }

  /** A condition message stays readable: a longer last log line is cut. */
  static final int MAX_EXIT_LINE = 400;

  private static Optional<String> unschedulable(List<Pod> pods) {
    Map<String, String> found = new LinkedHashMap<>();
    for (Pod pod : pods) {
      condition(pod, "PodScheduled")
          .filter(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()))
          .ifPresent(c -> found.put(pod.getMetadata().getName(), message(c.getMessage()).strip()));
    }
    return describe(found);
  }

  private static Optional<String> notReady(List<Pod> pods, Instant now, Duration deadline) {
    Map<String, String> found = new LinkedHashMap<>();
    for (Pod pod : pods) {
      Optional<PodCondition> ready = condition(pod, "Ready");
      if (ready.map(c -> "True".equals(c.getStatus())).orElse(false)) {
        continue;
      }
      Optional<Instant> since =
          ready
              .map(PodCondition::getLastTransitionTime)
              .or(() -> Optional.ofNullable(pod.getMetadata().getCreationTimestamp()))
              .flatMap(DegradedCheck::instant);
      if (since.isPresent() && since.get().plus(deadline).isBefore(now)) {
        found.put(pod.getMetadata().getName(), "since " + since.get());
      }
    }
    return describe(found);
  }

  private static Optional<PodCondition> condition(Pod pod, String type) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null
        ? Optional.empty()
        : pod.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()))
            .findFirst();
  }

  private static Optional<String> describe(Map<String, String> found) {
    return found.isEmpty()
        ? Optional.empty()
        : Optional.of(
            found.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", ")));
  }

  private static Stream<ContainerStatus> stream(List<ContainerStatus> statuses) {
    return statuses == null ? Stream.empty() : statuses.stream();
  }

  private static String message(String message) {
    return message == null || message.isBlank() ? "" : " " + message.strip();
  }

  private static Optional<Instant> instant(String timestamp) {
    try {
      return Optional.of(Instant.parse(timestamp));
    } catch (DateTimeParseException | NullPointerException e) {
      return Optional.empty();
    }
  }
}
