package io.dqlite.localkube.pods;

import io.dqlite.localkube.podspec.PodNames;
import io.dqlite.localkube.process.ProcessTrees;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the pods bound to this agent's nodes and keeps one {@link PodWorker} thread per pod. Pods
 * that already finished (Succeeded or Failed) are not run again; their deletion is completed at
 * once. On start it kills container processes that a previous agent left behind.
 */
public final class PodManager implements ResourceEventHandler<Pod>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodManager.class);

  private final PodRuntime rt;
  private final Set<String> nodes;
  private final Map<String, PodWorker> workers = new HashMap<>();
  private final Map<String, Thread> threads = new HashMap<>();
  private final Set<String> finished = new HashSet<>();
  private boolean closed;

  public PodManager(PodRuntime rt, Set<String> nodes) {
    this.rt = rt;
    this.nodes = Set.copyOf(nodes);
  }

  /**
   * Reaps a previous agent's processes and the directories of pods that are gone, then follows
   * {@code pods}, which must have synced (existing pods are replayed as additions).
   */
  public void start(SharedIndexInformer<Pod> pods) {
    reapOrphans(rt.root().resolve("pods"));
    removeStaleDirectories(
        pods.getStore().list().stream()
            .map(p -> p.getMetadata().getUid())
            .collect(Collectors.toSet()));
    // A pod keeps its address for life: reserve those already reported before any new pod asks.
    for (Pod p : pods.getStore().list()) {
      if (p.getSpec().getNodeName() != null
          && nodes.contains(p.getSpec().getNodeName())
          && p.getStatus() != null
          && p.getStatus().getPodIP() != null
          && !Boolean.TRUE.equals(p.getSpec().getHostNetwork())) {
        rt.ips().allocate(p.getMetadata().getUid(), p.getStatus().getPodIP());
      }
    }
    pods.addEventHandler(this);
  }

  @Override
  public void onAdd(Pod pod) {
    dispatch(pod);
  }

  @Override
  public void onUpdate(Pod oldPod, Pod pod) {
    dispatch(pod);
  }

  @Override
  public void onDelete(Pod pod, boolean finalStateUnknown) {
    PodWorker w;
    synchronized (this) {
      w = workers.get(pod.getMetadata().getUid());
    }
    if (w != null) {
      w.goneFromApi();
    }
  }

  private void dispatch(Pod pod) {
    if (pod.getSpec().getNodeName() == null || !nodes.contains(pod.getSpec().getNodeName())) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    synchronized (this) {
      if (closed || finished.contains(uid)) {
        return;
      }
      PodWorker existing = workers.get(uid);
      if (existing != null) {
        existing.update(pod);
        return;
      }
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        finished.add(uid);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
          deleteNow(pod);
        }
        return;
      }
      PodWorker w = new PodWorker(pod, rt, () -> done(uid));
      Thread t =
          new Thread(
              w, "pod-" + pod.getMetadata().getNamespace() + "-" + pod.getMetadata().getName());
      workers.put(uid, w);
      threads.put(uid, t);
      t.start();
    }
  }

  private synchronized void done(String uid) {
    workers.remove(uid);
    threads.remove(uid);
    finished.add(uid);
  }

  private void deleteNow(Pod pod) {
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

  /** The number of pods with a live worker. */
  public synchronized int running() {
    return workers.size();
  }

  /** Stops every pod's processes (preStop hooks included, grace capped at 10 s); idempotent. */
  @Override
  public void close() {
    List<Thread> toJoin;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      workers.values().forEach(PodWorker::stopForShutdown);
      toJoin = List.copyOf(threads.values());
    }
    for (Thread t : toJoin) {
      try {
        t.join(Duration.ofSeconds(60).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (t.isAlive()) {
        LOG.warn("{} did not stop within 60 s", t.getName());
      }
    }
  }

  /**
   * Kills processes recorded in {@code podsDir/<uid>/containers/<name>.pid} by an agent that died
   * without stopping them. A record holds the PID and the process start time, so that a reused PID
   * is never signalled.
   */
  public static void reapOrphans(Path podsDir) {
    if (!Files.isDirectory(podsDir)) {
      return;
    }
    List<Path> pidFiles;
    try (Stream<Path> files = Files.walk(podsDir, 3)) {
      pidFiles = files.filter(p -> p.toString().endsWith(".pid")).collect(Collectors.toList());
    } catch (IOException e) {
      LOG.warn("cannot scan {} for orphaned containers: {}", podsDir, e.getMessage());
      return;
    }
    for (Path f : pidFiles) {
      try {
        String[] parts = Files.readString(f).trim().split(" ");
        long pid = Long.parseLong(parts[0]);
        Instant started = parts.length > 1 && !parts[1].isEmpty() ? Instant.parse(parts[1]) : null;
        ProcessHandle.of(pid)
            .filter(
                p -> started != null && p.info().startInstant().map(started::equals).orElse(false))
            .ifPresent(
                p -> {
                  LOG.warn("killing container process {} left by a previous agent ({})", pid, f);
                  ProcessTrees.terminate(p, Duration.ofSeconds(5));
                });
        Files.deleteIfExists(f);
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot read {}: {}", f, e.getMessage());
      }
    }
  }

  private void removeStaleDirectories(Set<String> liveUids) {
    Path podsDir = rt.root().resolve("pods");
    if (!Files.isDirectory(podsDir)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(podsDir)) {
      for (Path d : dirs.collect(Collectors.toList())) {
        if (!liveUids.contains(d.getFileName().toString())) {
          try (Stream<Path> walk = Files.walk(d)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot clean {}: {}", podsDir, e.getMessage());
    }
  }
}
