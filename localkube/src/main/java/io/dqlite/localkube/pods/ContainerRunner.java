package io.dqlite.localkube.pods;

import io.dqlite.localkube.probes.Handlers;
import io.dqlite.localkube.probes.ProbeTracker;
import io.dqlite.localkube.process.ProcessTrees;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One container as a local process: starts it, notices its exit, tracks its probes, back-off and
 * restart count, stops it (preStop hook, SIGTERM to the process, SIGKILL to its tree after the
 * grace period) and reports its {@link ContainerStatus}. Used by one pod worker thread only.
 */
final class ContainerRunner {
  private final Container spec;
  private final Backoff backoff;
  private final Path logDir;
  private final Path pidFile;
  private Process process;
  private Launch launch;
  private Instant startedAt;
  private int restartCount;
  private ContainerState state;

  /** The latest termination, and the one before it (the lastState while terminated). */
  private ContainerState latestExit;

  private ContainerState previousExit;
  private Instant nextStart = Instant.MIN;
  private Path currentLog;
  private ProbeTracker startup;
  private ProbeTracker liveness;
  private ProbeTracker readiness;

  ContainerRunner(Container spec, Backoff backoff, Path logDir, Path pidFile) {
    this.spec = spec;
    this.backoff = backoff;
    this.logDir = logDir;
    this.pidFile = pidFile;
    this.state = waitingState("ContainerCreating", null);
  }

  /**
   * Continues from the status a previous agent reported: its restart count, and its last
   * termination. A successful init container stays done; anything else that ran counts a restart
   * when it starts again.
   */
  void resume(ContainerStatus previous) {
    ContainerState s = previous.getState();
    boolean ran =
        s != null && (s.getRunning() != null || s.getTerminated() != null)
            || previous.getLastState() != null && previous.getLastState().getTerminated() != null;
    if (!ran) {
      return;
    }
    restartCount = previous.getRestartCount() == null ? 0 : previous.getRestartCount();
    startedAt = Instant.EPOCH; // it has run: the next start is a restart
    if (s != null && s.getTerminated() != null) {
      latestExit = s;
    } else if (previous.getLastState() != null && previous.getLastState().getTerminated() != null) {
      latestExit = previous.getLastState();
    }
  }

  Container spec() {
    return spec;
  }

  String name() {
    return spec.getName();
  }

  boolean running() {
    return process != null;
  }

  /** Whether it ever ran and its last run ended (its terminated state or the back-off waiting). */
  boolean exitedWith(int code) {
    return process == null
        && latestExit != null
        && latestExit.getTerminated().getExitCode() == code;
  }

  boolean hasRun() {
    return startedAt != null;
  }

  Instant nextStart() {
    return nextStart;
  }

  Launch launch() {
    return launch;
  }

  /** Starts the process; its output goes to {@code logDir/<restartCount>.log}. */
  void start(Launch l, Instant now, Runnable onExit) throws IOException {
    Files.createDirectories(logDir);
    Files.createDirectories(pidFile.getParent());
    Path log = logDir.resolve(restartCount + ".log");
    currentLog = log;
    ProcessBuilder pb =
        new ProcessBuilder(l.argv())
            .directory(l.workingDir())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().clear();
    pb.environment().putAll(l.env());
    Process started = pb.start();
    try {
      started.getOutputStream().close();
      // PID and start time: a later agent reaps this process only if both still match.
      Files.writeString(
          pidFile,
          started.pid()
              + " "
              + started.toHandle().info().startInstant().map(Instant::toString).orElse("")
              + "\n");
    } catch (IOException e) {
      ProcessTrees.terminate(started.toHandle(), Duration.ZERO);
      throw e;
    }
    launch = l;
    startedAt = now;
    process = started;
    started.onExit().thenRun(onExit);
    state =
        new ContainerStateBuilder()
            .withNewRunning()
            .withStartedAt(PodStatusBuilder.time(now))
            .endRunning()
            .build();
    startup =
        spec.getStartupProbe() == null
            ? null
            : new ProbeTracker(spec.getStartupProbe(), now, false);
    liveness =
        spec.getLivenessProbe() == null
            ? null
            : new ProbeTracker(spec.getLivenessProbe(), now, true);
    readiness =
        spec.getReadinessProbe() == null
            ? null
            : new ProbeTracker(spec.getReadinessProbe(), now, false);
  }

  /**
   * Notices an exited process and records it.
   *
   * @return true when the container just exited
   */
  boolean reap(Instant now) {
    if (process == null || process.isAlive()) {
      return false;
    }
    int code = process.exitValue();
    finished(
        code,
        code == 0 ? "Completed" : "Error",
        terminationMessage(spec.getTerminationMessagePolicy(), code, currentLog),
        now);
    return true;
  }

  /** The kubelet's bounds on a termination message taken from the log (FallbackToLogsOnError). */
  static final int MESSAGE_MAX_LINES = 80;

  static final int MESSAGE_MAX_BYTES = 2048;

  /**
   * The termination message as a kubelet makes it when the container writes no message file: with
   * {@code FallbackToLogsOnError} and a failed exit, the tail of its log (at most 80 lines and 2048
   * bytes); else none. This agent runs processes on the host and has no message file.
   */
  static String terminationMessage(String policy, int exitCode, Path log) {
    if (!"FallbackToLogsOnError".equals(policy) || exitCode == 0 || log == null) {
      return null;
    }
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      String tail =
          String.join(
              "\n", lines.subList(Math.max(0, lines.size() - MESSAGE_MAX_LINES), lines.size()));
      byte[] bytes = tail.getBytes(StandardCharsets.UTF_8);
      if (bytes.length > MESSAGE_MAX_BYTES) {
        tail =
            new String(
                bytes, bytes.length - MESSAGE_MAX_BYTES, MESSAGE_MAX_BYTES, StandardCharsets.UTF_8);
      }
      return tail.isEmpty() ? null : tail;
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
  }

  private void finished(int code, String reason, Instant now) {
    finished(code, reason, null, now);
  }

  private void finished(int code, String reason, String message, Instant now) {
    state =
        new ContainerStateBuilder()
            .withNewTerminated()
            .withExitCode(code)
            .withReason(reason)
            .withMessage(message)
            .withStartedAt(PodStatusBuilder.time(startedAt))
            .withFinishedAt(PodStatusBuilder.time(now))
            .withContainerID(containerId())
            .endTerminated()
            .build();
    previousExit = latestExit;
    latestExit = state;
    process = null;
    nextStart = backoff.onExit(startedAt, now);
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException ignored) {
      // a stale pid file is checked against the process start time before it is used
    }
  }

  /** Before starting again a container that has run: counts the restart. */
  void prepareRestart() {
    if (startedAt != null) {
      restartCount++;
    }
  }

  /** A container that cannot start yet (config error, back-off, unknown image). */
  void waiting(String reason, String message) {
    state = waitingState(reason, message);
  }

  /** Runs the probes that are due; returns a message when liveness or startup failed for good. */
  String probe(Instant now, Handlers handlers, String podIp) {
    if (process == null) {
      return null;
    }
    Handlers.Target target =
        new Handlers.Target(spec, podIp, launch.env(), launch.mounts(), launch.workingDir());
    if (startup != null && !startup.success()) {
      if (startup.due(now)) {
        Handlers.Result r = handlers.probe(spec.getStartupProbe(), target, startup.timeout());
        startup.record(r.ok(), r.message(), now);
        if (!startup.success() && startup.failedThreshold()) {
          return "Startup probe failed: " + r.message();
        }
      }
      return null; // liveness and readiness wait for startup
    }
    if (liveness != null && liveness.due(now)) {
      Handlers.Result r = handlers.probe(spec.getLivenessProbe(), target, liveness.timeout());
      liveness.record(r.ok(), r.message(), now);
      if (!liveness.success()) {
        return "Liveness probe failed: " + r.message();
      }
    }
    if (readiness != null && readiness.due(now)) {
      Handlers.Result r = handlers.probe(spec.getReadinessProbe(), target, readiness.timeout());
      readiness.record(r.ok(), r.message(), now);
    }
    return null;
  }

  /** The earliest time a probe is due, or null. */
  Instant nextProbe() {
    if (process == null) {
      return null;
    }
    Instant next = null;
    for (ProbeTracker t : new ProbeTracker[] {startup, liveness, readiness}) {
      if (t != null && (next == null || t.nextRun().isBefore(next))) {
        next = t.nextRun();
      }
    }
    return next;
  }

  boolean ready() {
    return process != null && started() && (readiness == null || readiness.success());
  }

  boolean started() {
    return process != null && (startup == null || startup.success());
  }

  /**
   * Stops the process: the preStop hook within the grace period, then SIGTERM to the main process,
   * then SIGKILL to everything it started once the grace period is over.
   *
   * @return the preStop hook's failure message, or null
   */
  String stop(Duration grace, Handlers handlers, String podIp, String reason, Instant now) {
    if (process == null) {
      return null;
    }
    Instant deadline = Instant.now().plus(grace);
    String hookFailure = null;
    if (spec.getLifecycle() != null && spec.getLifecycle().getPreStop() != null) {
      Handlers.Result r =
          handlers.hook(
              spec.getLifecycle().getPreStop(),
              new Handlers.Target(spec, podIp, launch.env(), launch.mounts(), launch.workingDir()),
              grace);
      if (!r.ok()) {
        hookFailure = r.message();
      }
    }
    // Like the kubelet: a hook that used up the grace period still leaves the process 2 s.
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.compareTo(Duration.ofSeconds(2)) < 0) {
      left = Duration.ofSeconds(2);
    }
    ProcessTrees.terminate(process.toHandle(), left);
    int code = process.isAlive() ? 137 : process.exitValue();
    finished(code, reason != null ? reason : code == 0 ? "Completed" : "Error", Instant.now());
    return hookFailure;
  }

  ContainerStatus status() {
    return new ContainerStatusBuilder()
        .withName(spec.getName())
        .withImage(spec.getImage())
        .withImageID("localkube://" + spec.getImage())
        .withContainerID(startedAt == null ? null : containerId())
        .withReady(ready())
        .withStarted(started())
        .withRestartCount(restartCount)
        .withState(state)
        .withLastState(
            Objects.requireNonNullElseGet(
                state.getTerminated() != null ? previousExit : latestExit, ContainerState::new))
        .build();
  }

  private String containerId() {
    return "localkube://" + spec.getName() + "-" + restartCount;
  }

  private static ContainerState waitingState(String reason, String message) {
    return new ContainerStateBuilder()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .build();
  }
}
