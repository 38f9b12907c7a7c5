package io.dqlite.localkube.pods;

import io.dqlite.localkube.podspec.ContainerConfigException;
import io.dqlite.localkube.podspec.PodNames;
import io.dqlite.localkube.volumes.PodVolumes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's pod worker for one pod, on its own thread: gives the pod an address and its
 * volumes, runs init containers in order and then the containers, restarts them by the restart
 * policy with back-off, runs probes, reports status, and on deletion runs preStop hooks, stops the
 * processes within the grace period, cleans up and removes the pod from the API.
 */
final class PodWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
  private static final Duration VOLUME_REFRESH = Duration.ofSeconds(30);
  private static final Duration IDLE = Duration.ofSeconds(2);

  private final PodRuntime rt;
  private final String uid;
  private final String node;
  private final Runnable onDone;
  private final Object lock = new Object();
  private Pod latest;
  private boolean wake;
  private boolean goneFromApi;
  private boolean agentStopping;

  private String podIp;
  private PodVolumes volumes;
  private Instant volumesRefreshed = Instant.MIN;
  private Instant startTime;
  private List<ContainerRunner> init;
  private List<ContainerRunner> main;
  private String reported;

  PodWorker(Pod pod, PodRuntime rt, Runnable onDone) {
    this.latest = pod;
    this.rt = rt;
    this.uid = pod.getMetadata().getUid();
    this.node = pod.getSpec().getNodeName();
    this.onDone = onDone;
  }

  /** A newer version of the pod from the informer. */
  void update(Pod pod) {
    synchronized (lock) {
      latest = pod;
      wake = true;
      lock.notifyAll();
    }
  }

  /** The pod was removed from the API (force deletion): stop at once. */
  void goneFromApi() {
    synchronized (lock) {
      goneFromApi = true;
      wake = true;
      lock.notifyAll();
    }
  }

  /** The agent is stopping: stop the processes, leave the pod in the API. */
  void stopForShutdown() {
    synchronized (lock) {
      agentStopping = true;
      wake = true;
      lock.notifyAll();
    }
  }

  private void poke() {
    synchronized (lock) {
      wake = true;
      lock.notifyAll();
    }
  }

  @Override
  public void run() {
    Pod pod = current();
    String key = PodNames.key(pod);
    boolean removed = false;
    try {
      setUp(pod);
      while (true) {
        pod = current();
        boolean stopNow;
        boolean gone;
        synchronized (lock) {
          stopNow = agentStopping;
          gone = goneFromApi;
        }
        if (stopNow) {
          // The processes are really gone: say so, so that endpoints and DNS drop the pod until
          // the next agent restarts it.
          stopAll(pod, Duration.ofSeconds(Math.min(grace(pod), 10)), "agent stopping");
          report(pod);
          break;
        }
        if (gone) {
          stopAll(pod, Duration.ofSeconds(2), "pod removed from the API");
          removed = true;
          break;
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
          long grace =
              pod.getMetadata().getDeletionGracePeriodSeconds() != null
                  ? pod.getMetadata().getDeletionGracePeriodSeconds()
                  : grace(pod);
          stopAll(pod, Duration.ofSeconds(grace), null);
          report(pod);
          removeFromApi(pod);
          removed = true;
          break;
        }
        sync(pod);
        report(pod);
        waitForWork();
      }
    } catch (RuntimeException e) {
      LOG.error("pod worker for {} failed; stopping its containers", key, e);
      try {
        stopAll(pod, Duration.ofSeconds(2), "worker failure");
      } catch (RuntimeException again) {
        LOG.error("stopping the containers of {} failed too", key, again);
      }
    } finally {
      cleanUp(pod, removed);
      onDone.run();
    }
  }

  private void setUp(Pod pod) {
    Path dir = rt.podDir(uid);
    String preferred = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    podIp = hostNetwork ? hostIp() : rt.ips().allocate(uid, preferred);
    startTime =
        pod.getStatus() != null && pod.getStatus().getStartTime() != null
            ? Instant.parse(pod.getStatus().getStartTime())
            : rt.clock().instant();
    volumes = new PodVolumes(pod, dir, rt.sources(), podIp, hostIp(), rt.clock());
    init = runners(pod, pod.getSpec().getInitContainers(), true);
    main = runners(pod, pod.getSpec().getContainers(), false);
    LOG.info("pod {} on {} gets {}", PodNames.key(pod), node, podIp);
  }

  private List<ContainerRunner> runners(Pod pod, List<Container> containers, boolean init) {
    List<ContainerRunner> out = new ArrayList<>();
    if (containers != null) {
      for (Container c : containers) {
        Path pid = rt.podDir(uid).resolve("containers").resolve(c.getName() + ".pid");
        ContainerRunner r =
            new ContainerRunner(
                c,
                new Backoff(rt.backoffBase(), rt.backoffMax()),
                rt.logDir(
                    pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(),
                    uid,
                    c.getName()),
                pid);
        previousStatus(pod, c.getName(), init).ifPresent(r::resume);
        out.add(r);
      }
    }
    return out;
  }

  /** The container's status as a previous agent reported it (this agent restarts the pod). */
  private static Optional<ContainerStatus> previousStatus(Pod pod, String name, boolean init) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    List<ContainerStatus> list =
        init ? pod.getStatus().getInitContainerStatuses() : pod.getStatus().getContainerStatuses();
    return list == null
        ? Optional.empty()
        : list.stream().filter(s -> name.equals(s.getName())).findFirst();
  }

  /** One pass of the kubelet's sync loop. */
  private void sync(Pod pod) {
    Instant now = rt.clock().instant();
    if (Duration.between(volumesRefreshed, now).compareTo(VOLUME_REFRESH) >= 0) {
      try {
        volumes.update(pod); // labels and annotations may have changed: downwardAPI files follow
        volumes.prepare();
        volumesRefreshed = now;
      } catch (ContainerConfigException e) {
        Stream.concat(init.stream(), main.stream())
            .filter(r -> !r.running())
            .forEach(r -> r.waiting(e.reason(), e.getMessage()));
        return;
      }
    }
    for (ContainerRunner r : init) {
      r.reap(now);
    }
    for (ContainerRunner r : main) {
      if (r.reap(now)) {
        LOG.info("{} container {} exited", PodNames.key(pod), r.name());
      }
    }
    String policy = Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
    if (!initDone()) {
      syncInit(pod, policy, now);
      return;
    }
    if (terminal(pod, policy)) {
      return;
    }
    for (ContainerRunner r : main) {
      if (r.running()) {
        String failure = r.probe(now, rt.handlers(), podIp);
        if (failure != null) {
          rt.events().record(pod, node, "Warning", "Unhealthy", failure);
          rt.events()
              .record(
                  pod,
                  node,
                  "Normal",
                  "Killing",
                  "Container "
                      + r.name()
                      + " failed its liveness or startup probe, will be restarted");
          r.stop(Duration.ofSeconds(grace(pod)), rt.handlers(), podIp, "Error", now);
        }
      }
      if (!r.running()) {
        maybeStart(pod, r, policy, rt.clock().instant());
      }
    }
  }

  private void syncInit(Pod pod, String policy, Instant now) {
    for (ContainerRunner r : init) {
      if (r.exitedWith(0)) {
        continue;
      }
      if (!r.running()) {
        if (r.hasRun() && "Never".equals(policy)) {
          return; // the pod has failed
        }
        maybeStart(pod, r, "Always", now);
      }
      return; // one init container at a time
    }
    poke(); // all done: start the containers on the next pass
  }

  private void maybeStart(Pod pod, ContainerRunner r, String policy, Instant now) {
    if (r.hasRun()) {
      boolean restart = "Always".equals(policy) || ("OnFailure".equals(policy) && !r.exitedWith(0));
      if (!restart) {
        return;
      }
      if (now.isBefore(r.nextStart())) {
        r.waiting(
            "CrashLoopBackOff",
            "back-off "
                + Duration.between(now, r.nextStart()).toSeconds()
                + "s restarting failed container="
                + r.name()
                + " pod="
                + pod.getMetadata().getName());
        return;
      }
      r.prepareRestart();
    }
    try {
      Launch l =
          rt.launcher()
              .prepare(
                  pod,
                  r.spec(),
                  volumes,
                  podIp,
                  hostIp(),
                  rt.hostsFile().apply(pod.getMetadata().getNamespace()));
      r.start(l, now, this::poke);
      rt.events()
          .record(
              pod,
              node,
              "Normal",
              "Started",
              "Started container " + r.name() + " (" + String.join(" ", l.argv()) + ")");
      postStart(pod, r);
    } catch (ContainerConfigException e) {
      r.waiting(e.reason(), e.getMessage());
      rt.events().record(pod, node, "Warning", "Failed", e.getMessage());
    } catch (IOException e) {
      r.waiting("RunContainerError", "start " + r.name() + ": " + e.getMessage());
      rt.events().record(pod, node, "Warning", "Failed", e.getMessage());
    }
  }

  private void postStart(Pod pod, ContainerRunner r) {
    var lifecycle = r.spec().getLifecycle();
    if (lifecycle == null || lifecycle.getPostStart() == null) {
      return;
    }
    var result =
        rt.handlers()
            .hook(
                lifecycle.getPostStart(),
                new io.dqlite.localkube.probes.Handlers.Target(
                    r.spec(),
                    podIp,
                    r.launch().env(),
                    r.launch().mounts(),
                    r.launch().workingDir()),
                Duration.ofSeconds(grace(pod)));
    if (!result.ok()) {
      rt.events().record(pod, node, "Warning", "FailedPostStartHook", result.message());
      r.stop(Duration.ofSeconds(grace(pod)), rt.handlers(), podIp, "Error", rt.clock().instant());
    }
  }

  private boolean initDone() {
    return init.stream().allMatch(r -> r.exitedWith(0));
  }

  private boolean terminal(Pod pod, String policy) {
    String phase = PodStatusBuilder.phase(pod, statuses(init), statuses(main));
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** Stops every container in parallel, each with its preStop hook, within {@code grace}. */
  private void stopAll(Pod pod, Duration grace, String why) {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (ContainerRunner r :
        Stream.concat(init.stream(), main.stream())
            .filter(ContainerRunner::running)
            .collect(Collectors.toList())) {
      rt.events()
          .record(
              pod,
              node,
              "Normal",
              "Killing",
              "Stopping container " + r.name() + (why == null ? "" : " (" + why + ")"));
      stops.add(
          CompletableFuture.runAsync(
              () -> {
                String hookFailure =
                    r.stop(grace, rt.handlers(), podIp, null, rt.clock().instant());
                if (hookFailure != null) {
                  rt.events().record(pod, node, "Warning", "FailedPreStopHook", hookFailure);
                }
              },
              runnable ->
                  new Thread(runnable, "stop-" + pod.getMetadata().getName() + "-" + r.name())
                      .start()));
    }
    stops.forEach(CompletableFuture::join);
  }

  private void report(Pod pod) {
    List<ContainerStatus> initStatuses = statuses(init);
    List<ContainerStatus> mainStatuses = statuses(main);
    PodStatus status =
        PodStatusBuilder.build(
            new PodStatusBuilder.Input(
                pod, initStatuses, mainStatuses, podIp, hostIp(), startTime, rt.clock().instant()));
    // podIPs and hostIPs merge by IP in a strategic merge patch: replace them instead, so that an
    // address never accumulates beside an older one.
    @SuppressWarnings("unchecked")
    Map<String, Object> body = Serialization.jsonMapper().convertValue(status, Map.class);
    for (String list : List.of("podIPs", "hostIPs")) {
      Object ips = body.get(list);
      if (ips instanceof List) {
        List<Object> replaced = new ArrayList<>();
        replaced.add(Map.of("$patch", "replace"));
        replaced.addAll((List<?>) ips);
        body.put(list, replaced);
      }
    }
    String json = Serialization.asJson(Map.of("status", body));
    if (json.equals(reported)) {
      return;
    }
    try {
      rt.client()
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .subresource("status")
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), json);
      reported = json;
    } catch (KubernetesClientException e) {
      LOG.warn(
          "status of {} not updated (retried on the next pass): {}",
          PodNames.key(pod),
          e.getMessage());
    }
  }

  private void removeFromApi(Pod pod) {
    try {
      rt.client()
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
    } catch (KubernetesClientException e) {
      LOG.warn("final deletion of {} failed: {}", PodNames.key(pod), e.getMessage());
    }
  }

  /** Frees the address and the pod directory; the logs too once the pod is gone for good. */
  private void cleanUp(Pod pod, boolean removed) {
    rt.ips().release(uid);
    deleteTree(rt.podDir(uid));
    if (removed) {
      // The container's log directory's parent: logs/<ns>_<pod>_<uid>.
      deleteTree(
          rt.logDir(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid, "any")
              .getParent());
    }
    LOG.info("pod {} cleaned up", PodNames.key(pod));
  }

  private void waitForWork() {
    Instant now = rt.clock().instant();
    Instant until = now.plus(IDLE);
    for (ContainerRunner r :
        Stream.concat(init.stream(), main.stream()).collect(Collectors.toList())) {
      Instant probe = r.nextProbe();
      if (probe != null && probe.isBefore(until)) {
        until = probe;
      }
      if (!r.running()
          && r.hasRun()
          && r.nextStart().isAfter(now)
          && r.nextStart().isBefore(until)) {
        until = r.nextStart();
      }
    }
    long millis = Math.max(10, Duration.between(now, until).toMillis());
    synchronized (lock) {
      if (!wake) {
        try {
          lock.wait(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          agentStopping = true;
        }
      }
      wake = false;
    }
  }

  private Pod current() {
    synchronized (lock) {
      return latest;
    }
  }

  private String hostIp() {
    return rt.nodeIps().getOrDefault(node, "127.0.0.1");
  }

  private static long grace(Pod pod) {
    Long g = pod.getSpec().getTerminationGracePeriodSeconds();
    return g == null ? 30 : g;
  }

  private static List<ContainerStatus> statuses(List<ContainerRunner> runners) {
    return runners.stream().map(ContainerRunner::status).collect(Collectors.toList());
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", dir, e.getMessage());
    }
  }
}
