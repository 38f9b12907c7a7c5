package io.dqlite.localkube.pods;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The pod status the kubelet would report for the given container statuses: phase, the conditions
 * PodScheduled, PodReadyToStartContainers, Initialized, ContainersReady and Ready (with {@code
 * lastTransitionTime} kept while a condition's status does not change), IPs and start time. Pure.
 */
public final class PodStatusBuilder {
  private PodStatusBuilder() {}

  /** The inputs the kubelet's status manager uses. */
  public record Input(
      Pod pod,
      List<ContainerStatus> initStatuses,
      List<ContainerStatus> statuses,
      String podIp,
      String hostIp,
      Instant startTime,
      Instant now) {}

  /** The status to report. */
  public static PodStatus build(Input in) {
    Pod pod = in.pod();
    String phase = phase(pod, in.initStatuses(), in.statuses());
    List<PodCondition> previous =
        pod.getStatus() == null || pod.getStatus().getConditions() == null
            ? List.of()
            : pod.getStatus().getConditions();
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition(previous, "PodScheduled", true, null, null, in.now()));
    conditions.add(
        condition(previous, "PodReadyToStartContainers", in.podIp() != null, null, null, in.now()));

    List<String> incompleteInit =
        in.initStatuses().stream()
            .filter(s -> !succeeded(s))
            .map(ContainerStatus::getName)
            .collect(Collectors.toList());
    conditions.add(
        condition(
            previous,
            "Initialized",
            incompleteInit.isEmpty(),
            "ContainersNotInitialized",
            "containers with incomplete status: " + incompleteInit,
            in.now()));

    boolean completed = "Succeeded".equals(phase) || "Failed".equals(phase);
    List<String> unready =
        in.statuses().stream()
            .filter(s -> !Boolean.TRUE.equals(s.getReady()))
            .map(ContainerStatus::getName)
            .collect(Collectors.toList());
    boolean containersReady = unready.isEmpty() && !completed;
    String notReadyReason = completed ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage = completed ? null : "containers with unready status: " + unready;
    conditions.add(
        condition(
            previous,
            "ContainersReady",
            containersReady,
            notReadyReason,
            notReadyMessage,
            in.now()));

    List<String> gatesNotReady = gatesNotReady(pod);
    boolean ready = containersReady && gatesNotReady.isEmpty();
    if (containersReady && !gatesNotReady.isEmpty()) {
      notReadyReason = "ReadinessGatesNotReady";
      notReadyMessage =
          "corresponding condition of pod readiness gate "
              + gatesNotReady
              + " does not exist or is not True";
    }
    conditions.add(condition(previous, "Ready", ready, notReadyReason, notReadyMessage, in.now()));

    var b =
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase(phase)
            .withConditions(conditions)
            .withInitContainerStatuses(in.initStatuses())
            .withContainerStatuses(in.statuses())
            .withHostIP(in.hostIp())
            .withHostIPs(new HostIP(in.hostIp()))
            .withStartTime(in.startTime() == null ? null : time(in.startTime()));
    if (in.podIp() != null) {
      b.withPodIP(in.podIp()).withPodIPs(new PodIP(in.podIp()));
    }
    return b.build();
  }

  /** The kubelet's phase rule; a container waiting after a termination counts as stopped. */
  static String phase(Pod pod, List<ContainerStatus> init, List<ContainerStatus> main) {
    String policy = Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
    for (ContainerStatus s : init) {
      if (!succeeded(s)) {
        boolean failed = terminated(s) != null && terminated(s).getExitCode() != 0;
        return failed && "Never".equals(policy) ? "Failed" : "Pending";
      }
    }
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ContainerStatus s : main) {
      var state = s.getState();
      if (state != null && state.getRunning() != null) {
        running++;
      } else if (state != null && state.getTerminated() != null) {
        stopped++;
        if (state.getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
        stopped++;
        if (s.getLastState().getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else {
        waiting++;
      }
    }
    if (main.isEmpty() || waiting > 0) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    switch (policy) {
      case "Always":
        return "Running";
      case "OnFailure":
        return stopped == succeeded ? "Succeeded" : "Running";
      default:
        return stopped == succeeded ? "Succeeded" : "Failed";
    }
  }

  private static List<String> gatesNotReady(Pod pod) {
    List<PodReadinessGate> gates = pod.getSpec().getReadinessGates();
    if (gates == null || gates.isEmpty()) {
      return List.of();
    }
    List<PodCondition> conditions =
        pod.getStatus() == null || pod.getStatus().getConditions() == null
            ? List.of()
            : pod.getStatus().getConditions();
    List<String> missing = new ArrayList<>();
    for (PodReadinessGate g : gates) {
      boolean ok =
          conditions.stream()
              .anyMatch(
                  c -> g.getConditionType().equals(c.getType()) && "True".equals(c.getStatus()));
      if (!ok) {
        missing.add(g.getConditionType());
      }
    }
    return missing;
  }

  private static PodCondition condition(
      List<PodCondition> previous,
      String type,
      boolean value,
      String reason,
      String message,
      Instant now) {
    String status = value ? "True" : "False";
    String since =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
            .map(PodCondition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(time(now));
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(value ? null : reason)
        .withMessage(value ? null : message)
        .withLastTransitionTime(since)
        .withLastProbeTime(null)
        .build();
  }

  private static boolean succeeded(ContainerStatus s) {
    var t = terminated(s);
    return t != null && t.getExitCode() != null && t.getExitCode() == 0;
  }

  private static io.fabric8.kubernetes.api.model.ContainerStateTerminated terminated(
      ContainerStatus s) {
    return s.getState() == null ? null : s.getState().getTerminated();
  }

  /** RFC 3339 at second precision, as the API stores times. */
  public static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
