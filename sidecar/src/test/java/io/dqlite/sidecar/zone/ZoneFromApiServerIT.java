package io.dqlite.sidecar.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dqlite.localkube.LocalControlPlane;
import io.dqlite.localkube.Prerequisites;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The zone from a real kube-apiserver (localkube's control plane, binaries from {@code make
 * k8s-binaries}), through the sidecar's own client: {@link ZoneResolver#defaultClient()} reading a
 * kubeconfig, as outside a cluster. Runs in {@code mvn verify} when the binaries are in the cache
 * and is skipped, saying so, when they are not; {@code ZoneResolverTest} covers the same rules
 * against fabric8's mock server everywhere.
 */
class ZoneFromApiServerIT {

  private static final String LABEL = "topology.kubernetes.io/zone";
  private static final org.slf4j.Logger log = LoggerFactory.getLogger(ZoneFromApiServerIT.class);

  private static LocalControlPlane controlPlane;
  private static String missing;

  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private String kubeconfigBefore;

  @BeforeAll
  static void startControlPlane() {
    missing = Prerequisites.missing().orElse(null);
    if (missing != null) {
      log.warn(
          "ZoneFromApiServerIT: no local control plane ({}); the tests against a real API"
              + " server are skipped",
          missing);
      return;
    }
    controlPlane = LocalControlPlane.builder().build().start();
    KubernetesClient admin = controlPlane.client();
    admin.nodes().resource(node("worker-a", LABEL, "zone-a")).create();
    admin.nodes().resource(node("worker-rack", "example.com/rack", "r7")).create();
    admin.nodes().resource(node("worker-unlabelled", null, null)).create();
  }

  @AfterAll
  static void stopControlPlane() {
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @BeforeEach
  void captureLogs() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(ZoneResolver.class)).addAppender(logs);
    kubeconfigBefore = System.getProperty("kubeconfig");
  }

  @AfterEach
  void restore() {
    ((Logger) LoggerFactory.getLogger(ZoneResolver.class)).detachAppender(logs);
    if (kubeconfigBefore == null) {
      System.clearProperty("kubeconfig");
    } else {
      System.setProperty("kubeconfig", kubeconfigBefore);
    }
  }

  private static void requireControlPlane() {
    assumeTrue(controlPlane != null, () -> "no local control plane: " + missing);
  }

  /** The sidecar's client, configured from the control plane's admin kubeconfig. */
  private static Supplier<KubernetesClient> sidecarClient(Path kubeconfig) {
    return () -> {
      System.setProperty("kubeconfig", kubeconfig.toString());
      return ZoneResolver.defaultClient();
    };
  }

  @Test
  void zoneLabelOfTheNodeGivesTheStableDomain() {
    requireControlPlane();
    ZoneResolver.Zone z =
        new ZoneResolver(LABEL, null, "worker-a", sidecarClient(controlPlane.kubeconfig()))
            .resolve(null);
    assertThat(z).isEqualTo(new ZoneResolver.Zone(Optional.of("zone-a"), ZoneResolver.Source.NODE));
    // The golden value of FailureDomainsTest: the same on every pod, restart and version.
    assertThat(z.failureDomain()).isEqualTo(3552967045029796717L);
    assertThat(warnings()).isEmpty();
  }

  @Test
  void configurableLabelKey() {
    requireControlPlane();
    ZoneResolver.Zone z =
        new ZoneResolver(
                "example.com/rack", null, "worker-rack", sidecarClient(controlPlane.kubeconfig()))
            .resolve(null);
    assertThat(z.zone()).contains("r7");
    assertThat(z.failureDomain()).isEqualTo(FailureDomains.of("r7"));
  }

  @Test
  void podLabelsFileComesBeforeTheApi() throws IOException {
    requireControlPlane();
    Path labels = dir.resolve("labels");
    Files.writeString(labels, "app=\"db\"\n" + LABEL + "=\"zone-from-pod\"\n");
    ZoneResolver.Zone z =
        new ZoneResolver(LABEL, labels, "worker-a", sidecarClient(controlPlane.kubeconfig()))
            .resolve(null);
    assertThat(z.source()).isEqualTo(ZoneResolver.Source.POD_LABELS);
    assertThat(z.zone()).contains("zone-from-pod");
  }

  @Test
  void missingLabelIsOneWarningAndDomainZero() {
    requireControlPlane();
    ZoneResolver.Zone z =
        new ZoneResolver(LABEL, null, "worker-unlabelled", sidecarClient(controlPlane.kubeconfig()))
            .resolve(null);
    assertThat(z).isEqualTo(ZoneResolver.Zone.UNKNOWN);
    assertThat(z.failureDomain()).isZero();
    assertThat(warnings())
        .singleElement()
        .asString()
        .contains("Node worker-unlabelled has no " + LABEL + " label")
        .contains("label the node, or set --zone");
  }

  @Test
  void unknownNodeIsOneWarningAndDomainZero() {
    requireControlPlane();
    ZoneResolver.Zone z =
        new ZoneResolver(LABEL, null, "no-such-node", sidecarClient(controlPlane.kubeconfig()))
            .resolve(null);
    assertThat(z).isEqualTo(ZoneResolver.Zone.UNKNOWN);
    assertThat(warnings()).singleElement().asString().contains("Node no-such-node not found");
  }

  /**
   * The control plane's own kubeconfig with the server moved to a loopback port where nothing
   * listens: the sidecar warns once, naming the node and the way out, and runs with domain 0.
   */
  @Test
  void unreachableApiServerIsAClearWarningAndDomainZero() throws IOException {
    requireControlPlane();
    String config = Files.readString(controlPlane.kubeconfig());
    String url = controlPlane.apiServerUrl();
    assertThat(config).contains(url);
    Path nowhere = dir.resolve("nowhere.kubeconfig");
    Files.writeString(nowhere, config.replace(url, "https://127.0.8.251:1"));
    ZoneResolver.Zone z =
        new ZoneResolver(LABEL, null, "worker-a", sidecarClient(nowhere)).resolve(null);
    assertThat(z).isEqualTo(ZoneResolver.Zone.UNKNOWN);
    assertThat(warnings())
        .singleElement()
        .asString()
        .contains("cannot reach the API server https://127.0.8.251:1/ for Node worker-a")
        .contains("ConnectException")
        .doesNotContain("grant get on nodes")
        .contains("check that the API server is reachable from the pod, or set --zone");
  }

  /**
   * A service account without RBAC grants: the API server refuses with 403, and the warning says
   * what to grant.
   */
  @Test
  void refusingApiServerSaysWhatToGrant() {
    requireControlPlane();
    KubernetesClient admin = controlPlane.client();
    admin
        .serviceAccounts()
        .inNamespace("default")
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("no-grants")
                .endMetadata()
                .build())
        .createOr(r -> r.update());
    String token =
        admin
            .serviceAccounts()
            .inNamespace("default")
            .withName("no-grants")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config base = controlPlane.config();
    Config serviceAccount =
        new ConfigBuilder()
            .withMasterUrl(base.getMasterUrl())
            .withCaCertData(base.getCaCertData())
            .withCaCertFile(base.getCaCertFile())
            .withOauthToken(token)
            .withRequestRetryBackoffLimit(0)
            .build();
    ZoneResolver.Zone z =
        new ZoneResolver(
                LABEL,
                null,
                "worker-a",
                () -> new KubernetesClientBuilder().withConfig(serviceAccount).build())
            .resolve(null);
    assertThat(z).isEqualTo(ZoneResolver.Zone.UNKNOWN);
    assertThat(warnings())
        .singleElement()
        .asString()
        .contains("answered HTTP 403 to reading Node worker-a (nodes \"worker-a\" is forbidden")
        .doesNotContain("Received status")
        .contains("grant get on nodes to the pod's service account, or set --zone");
  }

  /**
   * The grant docs/operator.md (Zones) tells users to apply for {@code spec.zones.readNodeLabels},
   * applied as written (placeholders filled): the bound account's token reads its Node's zone, and
   * nothing more than {@code get} on nodes (no list).
   */
  @Test
  void theDocumentedNodeReaderGrantReadsTheZone() throws IOException {
    requireControlPlane();
    KubernetesClient admin = controlPlane.client();
    String doc = Files.readString(Path.of("..", "docs", "operator.md"));
    String begin = "<!-- zones-rbac:begin -->";
    String yaml =
        doc.substring(doc.indexOf(begin) + begin.length(), doc.indexOf("<!-- zones-rbac:end -->"))
            .replace("```yaml", "")
            .replace("```", "")
            .replace("NAMESPACE", "default")
            .replace("CLUSTER", "zoned-db");
    admin
        .serviceAccounts()
        .inNamespace("default")
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("zoned-db")
                .endMetadata()
                .build())
        .createOr(r -> r.update());
    List<io.fabric8.kubernetes.api.model.HasMetadata> rbac =
        admin
            .load(
                new java.io.ByteArrayInputStream(
                    yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .items();
    assertThat(rbac)
        .extracting(io.fabric8.kubernetes.api.model.HasMetadata::getKind)
        .containsExactly("ClusterRole", "ClusterRoleBinding");
    rbac.forEach(o -> admin.resource(o).forceConflicts().fieldManager("zone-it").serverSideApply());
    try {
      Config account = serviceAccountConfig(admin, "zoned-db");
      // RBAC changes reach the authorizer's cache shortly after they are stored.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                logs.list.clear();
                ZoneResolver.Zone z =
                    new ZoneResolver(
                            LABEL,
                            null,
                            "worker-a",
                            () -> new KubernetesClientBuilder().withConfig(account).build())
                        .resolve(null);
                assertThat(z)
                    .isEqualTo(
                        new ZoneResolver.Zone(Optional.of("zone-a"), ZoneResolver.Source.NODE));
              });
      assertThat(warnings()).isEmpty();
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(account).build()) {
        assertThat(
                org.assertj.core.api.Assertions.catchThrowableOfType(
                    io.fabric8.kubernetes.client.KubernetesClientException.class,
                    () -> client.nodes().list()))
            .as("get only: listing nodes stays forbidden")
            .satisfies(e -> assertThat(e.getCode()).isEqualTo(403));
      }
    } finally {
      rbac.forEach(o -> admin.resource(o).delete());
    }
  }

  /** A client configuration with a fresh token of the ServiceAccount {@code name}. */
  private static Config serviceAccountConfig(KubernetesClient admin, String name) {
    String token =
        admin
            .serviceAccounts()
            .inNamespace("default")
            .withName(name)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config base = controlPlane.config();
    return new ConfigBuilder()
        .withMasterUrl(base.getMasterUrl())
        .withCaCertData(base.getCaCertData())
        .withCaCertFile(base.getCaCertFile())
        .withOauthToken(token)
        .withRequestRetryBackoffLimit(0)
        .build();
  }

  private List<String> warnings() {
    return logs.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private static io.fabric8.kubernetes.api.model.Node node(String name, String key, String value) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
    if (key != null) {
      b.editMetadata().addToLabels(key, value).endMetadata();
    }
    return b.build();
  }
}
