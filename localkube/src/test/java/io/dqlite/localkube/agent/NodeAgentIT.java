package io.dqlite.localkube.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.localkube.LocalControlPlane;
import io.dqlite.localkube.pods.ImageTable;
import io.dqlite.localkube.testapp.TestApp;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node agent on the real control plane: nodes, a pod's life, volumes, DNS, restarts. */
class NodeAgentIT {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgentIT.class);
  private static final Duration DEADLINE = Duration.ofMinutes(2);
  private static final String APP = "localkube-test/app";
  private static final String SHELL = "localkube-test/shell";

  private static LocalControlPlane cp;
  private static NodeAgent agent;
  private static Path work;
  private static KubernetesClient k;

  /**
   * The test app's port: one no process holds on any address, since a listener on 0.0.0.0 (a
   * colleague's pod that ignores its pod IP) would make binding it on the pod IP fail.
   */
  private static int port;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void up() throws Exception {
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    cp = LocalControlPlane.builder().build().start();
    k = cp.client();
    work = cp.stateDir().resolve("agent");
    String java = ProcessHandle.current().info().command().orElse("java");
    String classes =
        Path.of(TestApp.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    ImageTable images =
        ImageTable.parse(
            String.join(
                "\n",
                "images:",
                "  " + APP + ":",
                "    command: [${JAVA}, -Xmx64m, -XX:TieredStopAtLevel=1, -cp, ${CLASSES}, "
                    + TestApp.class.getName()
                    + "]",
                "    args: [--bind, $(LOCALKUBE_POD_IP), --port, \"" + port + "\"]",
                "  " + SHELL + ":",
                "    command: [sh, -c]",
                ""),
            Map.of("JAVA", java, "CLASSES", classes),
            "test image table");
    Path pki = cp.pkiDir();
    agent =
        NodeAgent.builder(k, work, images)
            .backoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
            .kubeletApi(
                pki.resolve("kubelet.crt"), pki.resolve("kubelet.key"), pki.resolve("ca.crt"))
            .build()
            .start();
  }

  @AfterAll
  static void down() {
    if (agent != null) {
      agent.close();
    }
    if (cp != null) {
      cp.close();
    }
  }

  @Test
  void nodesRegisterReadyWithZonesAndLeases() {
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              List<Node> nodes = k.nodes().list().getItems();
              assertThat(nodes)
                  .extracting(n -> n.getMetadata().getName())
                  .containsExactlyInAnyOrder("node-1", "node-2", "node-3");
              assertThat(nodes)
                  .extracting(n -> n.getMetadata().getLabels().get(NodeSpec.ZONE))
                  .containsExactlyInAnyOrder("zone-a", "zone-b", "zone-c");
              assertThat(nodes)
                  .allSatisfy(
                      n ->
                          assertThat(n.getStatus().getConditions())
                              .anySatisfy(
                                  c -> {
                                    assertThat(c.getType()).isEqualTo("Ready");
                                    assertThat(c.getStatus()).isEqualTo("True");
                                  }));
              assertThat(k.leases().inNamespace("kube-node-lease").withName("node-2").get())
                  .isNotNull();
            });
  }

  @Test
  void podRunsGetsReadyResolvesAndStopsWithItsPreStopHook(TestInfo info) throws Exception {
    String ns = namespace("life");
    Path marker = Files.createDirectories(work.resolve("marker-" + ns));
    k.configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("cfg")
                .endMetadata()
                .withData(Map.of("greeting", "hello"))
                .build())
        .create();
    k.services()
        .inNamespace(ns)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("app")
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                .withSelector(Map.of("app", "web"))
                .addNewPort()
                .withPort(port)
                .endPort()
                .endSpec()
                .build())
        .create();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("web")
            .withLabels(Map.of("app", "web"))
            .endMetadata()
            .withNewSpec()
            .withHostname("web-0")
            .withSubdomain("app")
            .withTerminationGracePeriodSeconds(10L)
            .addNewContainer()
            .withName("app")
            .withImage(APP + ":1.0")
            .addNewEnv()
            .withName("POD_NAME")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("NODE")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("spec.nodeName")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("MY_IP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("status.podIP")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("GREETING")
            .withNewValueFrom()
            .withNewConfigMapKeyRef()
            .withName("cfg")
            .withKey("greeting")
            .endConfigMapKeyRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("CONFIG_FILE")
            .withValue("/etc/cfg/greeting")
            .endEnv()
            .addNewVolumeMount()
            .withName("cfg")
            .withMountPath("/etc/cfg")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("marker")
            .withMountPath("/marker")
            .endVolumeMount()
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPath("/ready")
            .withNewPort(port)
            .endHttpGet()
            .withPeriodSeconds(1)
            .endReadinessProbe()
            .withNewLifecycle()
            .withNewPreStop()
            .withNewExec()
            .withCommand("sh", "-c", "echo \"$POD_NAME stopped\" > /marker/prestop")
            .endExec()
            .endPreStop()
            .endLifecycle()
            .endContainer()
            .addNewVolume()
            .withName("cfg")
            .withNewConfigMap()
            .withName("cfg")
            .endConfigMap()
            .endVolume()
            .addNewVolume()
            .withName("marker")
            .withNewHostPath()
            .withPath(marker.toString())
            .endHostPath()
            .endVolume()
            .endSpec()
            .build();
    k.pods().inNamespace(ns).resource(pod).create();

    Pod running =
        await()
            .atMost(DEADLINE)
            .until(
                () -> k.pods().inNamespace(ns).withName("web").get(),
                p -> p != null && "Running".equals(p.getStatus().getPhase()) && ready(p));
    String ip = running.getStatus().getPodIP();
    LOG.info(
        "{}: pod web Running and Ready at {} on {}",
        info.getDisplayName(),
        ip,
        running.getSpec().getNodeName());
    assertThat(ip).startsWith("127.1.");
    assertThat(running.getMetadata().getLabels()).containsKey(NodeSpec.ZONE);
    assertThat(running.getStatus().getConditions())
        .extracting(c -> c.getType())
        .contains("PodScheduled", "Initialized", "ContainersReady", "Ready");

    String env = get(ip, "/env");
    assertThat(env)
        .contains(
            "POD_NAME=web",
            "NODE=" + running.getSpec().getNodeName(),
            "MY_IP=" + ip,
            "GREETING=hello",
            "KUBERNETES_SERVICE_HOST=127.0.0.1");
    String configFile = line(env, "CONFIG_FILE=");
    assertThat(Files.readString(Path.of(configFile))).isEqualTo("hello");
    Path token = Path.of(line(env, "KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN="));
    assertThat(Files.readString(token)).contains(".");
    assertThat(token.resolveSibling("ca.crt")).exists();
    assertThat(token.resolveSibling("namespace")).hasContent(ns);

    await()
        .atMost(DEADLINE)
        .untilAsserted(() -> assertThat(get(ip, "/resolve?name=web-0.app")).isEqualTo(ip));
    assertThat(get(ip, "/resolve?name=web-0.app." + ns + ".svc.cluster.local")).isEqualTo(ip);
    assertThat(get(ip, "/resolve?name=app")).isEqualTo(ip);
    long pid = Long.parseLong(get(ip, "/pid"));
    // The app prints once its server runs, which can be just after the probe first passed.
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(k.pods().inNamespace(ns).withName("web").getLog())
                    .as("kubectl logs, through the API server and the agent's kubelet API")
                    .contains("test app listening on " + ip + ":" + port));

    k.pods().inNamespace(ns).withName("web").delete();
    await().atMost(DEADLINE).until(() -> k.pods().inNamespace(ns).withName("web").get() == null);
    assertThat(marker.resolve("prestop")).hasContent("web stopped");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void crashingContainerIsRestartedWithBackoff() {
    String ns = namespace("crash");
    k.pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("crash")
                .endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer()
                .withName("c")
                .withImage(SHELL)
                .withArgs("exit 3")
                .endContainer()
                .endSpec()
                .build())
        .create();
    ContainerStatus status =
        await()
            .atMost(DEADLINE)
            .until(
                () -> containerStatus(ns, "crash"),
                s -> s.isPresent() && s.get().getRestartCount() >= 2)
            .orElseThrow();
    assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(3);
    k.pods().inNamespace(ns).withName("crash").delete();
    await().atMost(DEADLINE).until(() -> k.pods().inNamespace(ns).withName("crash").get() == null);
  }

  @Test
  void initContainerRunsFirstAndFailedLivenessRestarts() {
    String ns = namespace("probe");
    k.pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(1L)
                .addNewInitContainer()
                .withName("init")
                .withImage(SHELL)
                .withArgs("echo ok > /work/alive")
                .addNewVolumeMount()
                .withName("work")
                .withMountPath("/work")
                .endVolumeMount()
                .endInitContainer()
                .addNewContainer()
                .withName("main")
                .withImage(SHELL)
                .withArgs("sleep 3600")
                .addNewVolumeMount()
                .withName("work")
                .withMountPath("/work")
                .endVolumeMount()
                // Passes once (and removes its file), then fails: the container must be restarted.
                .withNewLivenessProbe()
                .withNewExec()
                .withCommand("sh", "-c", "test -f /work/alive && rm /work/alive")
                .endExec()
                .withPeriodSeconds(1)
                .withFailureThreshold(1)
                .endLivenessProbe()
                .endContainer()
                .addNewVolume()
                .withName("work")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .endSpec()
                .build())
        .create();
    ContainerStatus main =
        await()
            .atMost(DEADLINE)
            .until(
                () -> containerStatus(ns, "p"),
                s -> s.isPresent() && s.get().getRestartCount() >= 1)
            .orElseThrow();
    assertThat(main.getLastState().getTerminated()).isNotNull();
    Pod pod = k.pods().inNamespace(ns).withName("p").get();
    assertThat(
            pod.getStatus()
                .getInitContainerStatuses()
                .get(0)
                .getState()
                .getTerminated()
                .getExitCode())
        .isZero();
    assertThat(k.v1().events().inNamespace(ns).list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("Unhealthy"));
    k.pods().inNamespace(ns).withName("p").delete();
    await().atMost(DEADLINE).until(() -> k.pods().inNamespace(ns).withName("p").get() == null);
  }

  @Test
  void claimDataOutlivesThePod() throws Exception {
    String ns = namespace("pvc");
    k.persistentVolumeClaims()
        .inNamespace(ns)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .withRequests(Map.of("storage", new Quantity("1Gi")))
                .endResources()
                .endSpec()
                .build())
        .create();
    for (String name : List.of("first", "second")) {
      k.pods()
          .inNamespace(ns)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .withNewSpec()
                  .withTerminationGracePeriodSeconds(5L)
                  .addNewContainer()
                  .withName("app")
                  .withImage(APP)
                  .withArgs(
                      "--bind", "$(LOCALKUBE_POD_IP)", "--port", "" + port, "--write", "/data/log")
                  .addNewVolumeMount()
                  .withName("data")
                  .withMountPath("/data")
                  .endVolumeMount()
                  // The app writes before it serves: Ready means the write is done.
                  .withNewReadinessProbe()
                  .withNewHttpGet()
                  .withPath("/ready")
                  .withNewPort(port)
                  .endHttpGet()
                  .withPeriodSeconds(1)
                  .endReadinessProbe()
                  .endContainer()
                  .addNewVolume()
                  .withName("data")
                  .withNewPersistentVolumeClaim()
                  .withClaimName("data")
                  .endPersistentVolumeClaim()
                  .endVolume()
                  .endSpec()
                  .build())
          .create();
      await()
          .atMost(DEADLINE)
          .until(() -> k.pods().inNamespace(ns).withName(name).get(), p -> p != null && ready(p));
      k.pods().inNamespace(ns).withName(name).delete();
      await().atMost(DEADLINE).until(() -> k.pods().inNamespace(ns).withName(name).get() == null);
    }
    var pvc = k.persistentVolumeClaims().inNamespace(ns).withName("data").get();
    var pv = k.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
    Path dir = Path.of(pv.getSpec().getLocal().getPath());
    assertThat(dir.resolve("log")).hasContent("first\nsecond");
  }

  private String namespace(String prefix) {
    String ns = prefix + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    k.namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    await()
        .atMost(DEADLINE)
        .until(() -> k.serviceAccounts().inNamespace(ns).withName("default").get() != null);
    return ns;
  }

  private Optional<ContainerStatus> containerStatus(String ns, String pod) {
    Pod p = k.pods().inNamespace(ns).withName(pod).get();
    if (p == null
        || p.getStatus() == null
        || p.getStatus().getContainerStatuses() == null
        || p.getStatus().getContainerStatuses().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(p.getStatus().getContainerStatuses().get(0));
  }

  private static boolean ready(Pod p) {
    return p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private String get(String ip, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.body().trim();
  }

  private static String line(String text, String prefix) {
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .map(l -> l.substring(prefix.length()))
        .orElseThrow(() -> new AssertionError("no " + prefix + " in\n" + text));
  }
}
