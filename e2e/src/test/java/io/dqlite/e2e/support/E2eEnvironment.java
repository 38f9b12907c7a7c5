package io.dqlite.e2e.support;

import io.dqlite.localkube.Crds;
import io.dqlite.localkube.LocalControlPlane;
import io.dqlite.localkube.Prerequisites;
import io.dqlite.localkube.agent.NodeAgent;
import io.dqlite.localkube.pods.ImageTable;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.opentest4j.TestAbortedException;

/**
 * What every E2E test shares, started once per JVM: the local control plane, the node agent with
 * three nodes in zones {@code zone-a..c}, the DqliteCluster CRD from {@code crds/}, and the
 * operator ({@code operator/target/dqlite-operator.jar}) as a local process with the admin
 * kubeconfig. Closed at the end of the run (the JUnit root store closes it), which stops the
 * operator, every pod's processes and the control plane, and deletes the state directory.
 *
 * <p>Skips (aborts) the tests, saying why, when the control-plane binaries are not built.
 */
public final class E2eEnvironment implements AutoCloseable {

  /** The three simulated nodes' zones (the agent's default). */
  public static final List<String> ZONES = List.of("zone-a", "zone-b", "zone-c");

  private final Path repo;
  private final Path stateDir;
  private final LocalControlPlane controlPlane;
  private final NodeAgent agent;
  private final OperatorProcess operator;
  private final Path binDir;

  private E2eEnvironment(
      Path repo,
      Path stateDir,
      LocalControlPlane controlPlane,
      NodeAgent agent,
      OperatorProcess operator,
      Path binDir) {
    this.repo = repo;
    this.stateDir = stateDir;
    this.controlPlane = controlPlane;
    this.agent = agent;
    this.operator = operator;
    this.binDir = binDir;
  }

  /**
   * Starts everything, or aborts when the control-plane binaries are missing. A failure after that
   * undoes what was started and throws.
   */
  static E2eEnvironment start() {
    Path repo = RepoPaths.root();
    Optional<String> missing = Prerequisites.missing("kubectl", "helm");
    if (missing.isPresent()) {
      throw new TestAbortedException("no local control plane: " + missing.get());
    }
    Path binDir = Prerequisites.binDir();
    for (Path jar : List.of(RepoPaths.sidecarJar(), RepoPaths.operatorJar())) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            jar + " is missing: run `mvn -pl sidecar,operator -am package -DskipTests` first");
      }
    }
    List<AutoCloseable> started = new ArrayList<>();
    try {
      Path stateDir = StateDirs.claim(RepoPaths.stateRoot());
      started.add(() -> deleteIfEmpty(stateDir));
      if (!LocalPaths.socketPathsFit(stateDir.resolve("agent"))) {
        throw new IllegalStateException(
            "state directory "
                + stateDir
                + " is too long: the pods'"
                + " app sockets under it would exceed the "
                + LocalPaths.MAX_SOCKET_PATH
                + "-byte limit"
                + " of unix socket paths; choose a shorter -De2e.stateRoot (default /var/tmp/dqe)");
      }
      long t0 = System.nanoTime();
      LocalControlPlane cp =
          LocalControlPlane.builder()
              .scriptDir(repo.resolve("localkube"))
              .stateDir(stateDir)
              .build()
              .start();
      started.add(cp);
      Measurements.record("control plane up", Duration.ofNanos(System.nanoTime() - t0));

      long t1 = System.nanoTime();
      // Crash-loop back-off 2 s doubling to 20 s (the kubelet: 10 s to 5 min), so a pod whose
      // peers are not up yet retries within the tests' deadlines.
      NodeAgent.Builder agentBuilder =
          NodeAgent.builder(
                  cp.client(),
                  stateDir.resolve("agent"),
                  ImageTable.load(
                      repo.resolve("localkube/images.yaml"), Map.of("REPO", repo.toString())))
              .backoff(Duration.ofSeconds(2), Duration.ofSeconds(20));
      Path pki = cp.pkiDir();
      if (Files.isRegularFile(pki.resolve("kubelet.crt"))) {
        agentBuilder.kubeletApi(
            pki.resolve("kubelet.crt"), pki.resolve("kubelet.key"), pki.resolve("ca.crt"));
      }
      NodeAgent agent = agentBuilder.build().start();
      started.add(agent);
      KubernetesClient client = cp.client();
      Awaitility.await("3 nodes Ready")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  client.nodes().list().getItems().stream().filter(E2eEnvironment::ready).count()
                      == ZONES.size());
      Measurements.record("node agent up, nodes Ready", Duration.ofNanos(System.nanoTime() - t1));

      Crds.applyAndAwaitEstablished(client, repo.resolve("crds/dqliteclusters.dqlite.io-v1.yml"));

      long t2 = System.nanoTime();
      OperatorProcess operator =
          OperatorProcess.start(
              RepoPaths.operatorJar(), cp.kubeconfig(), stateDir.resolve("operator.log"));
      started.add(operator);
      operator.awaitReady(Duration.ofMinutes(2));
      Measurements.record("operator ready", Duration.ofNanos(System.nanoTime() - t2));
      return new E2eEnvironment(repo, stateDir, cp, agent, operator, binDir);
    } catch (RuntimeException | IOException | Error e) {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new IllegalStateException("start the E2E environment: " + e.getMessage(), e);
    }
  }

  private static boolean ready(Node n) {
    return n.getStatus() != null
        && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  public KubernetesClient client() {
    return controlPlane.client();
  }

  public LocalControlPlane controlPlane() {
    return controlPlane;
  }

  public NodeAgent agent() {
    return agent;
  }

  /** The agent's root: pods/, pv/, dns/, logs/. */
  public Path agentRoot() {
    return stateDir.resolve("agent");
  }

  public OperatorProcess operator() {
    return operator;
  }

  public Path repo() {
    return repo;
  }

  /** kubectl and helm. */
  public Path binDir() {
    return binDir;
  }

  public Path kubeconfig() {
    return controlPlane.kubeconfig();
  }

  /** Stops the operator, every pod (agent) and the control plane; idempotent through each part. */
  @Override
  public void close() {
    try {
      operator.close();
    } finally {
      try {
        agent.close();
      } finally {
        controlPlane.close();
        Measurements.finish();
      }
    }
  }

  private static void deleteIfEmpty(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      if (entries.findAny().isEmpty()) {
        Files.delete(dir);
      }
    }
  }

  /** Waits for a process to exit, bounded. */
  static boolean waitFor(Process p, Duration d) {
    try {
      return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
