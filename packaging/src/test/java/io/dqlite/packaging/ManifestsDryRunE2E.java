package io.dqlite.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.dqlite.localkube.LocalControlPlane;
import io.dqlite.packaging.ChartRender.ValueSet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest the chart renders (each golden value set) and every file under deploy/ goes
 * through a server-side dry-run apply on a real kube-apiserver (the local control plane): schema,
 * defaulting, the CRD's CEL rules and admission, with nothing persisted. The DqliteCluster CRD is
 * installed for real first. prometheus-operator's CRDs cannot be fetched here, so ServiceMonitor and
 * PodMonitor are checked against stand-in CRDs that accept any spec: their kind, group and
 * metadata are checked, their fields are not.
 *
 * <p>Skips, saying why, when the control-plane binaries are not built ({@code make k8s-binaries}).
 */
class ManifestsDryRunE2E {

  private static final String FIELD_MANAGER = "dqlite-packaging-e2e";
  private static final String EXAMPLES_NAMESPACE = "examples";

  private static LocalControlPlane controlPlane;
  private static KubernetesClient client;
  private static Path binDir;

  @BeforeAll
  static void startControlPlane() throws IOException, InterruptedException {
    binDir = locateBinDir();
    for (String binary : List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler",
        "helm")) {
      assumeThat(binDir.resolve(binary))
          .as("the local control plane is not built (%s missing): run `make k8s-binaries`",
              binDir.resolve(binary))
          .isExecutable();
    }
    assumeThat(onPath("etcd"))
        .as("etcd is not installed (Debian's etcd-server; `make k8s-binaries` installs it)")
        .isTrue();
    controlPlane = LocalControlPlane.builder().build().start();
    client = controlPlane.client();

    CustomResourceDefinition crd =
        client.getKubernetesSerialization()
            .unmarshal(Files.readString(RepoPaths.crd()), CustomResourceDefinition.class);
    client.resource(crd).create();
    for (String[] kind : List.of(new String[] {"ServiceMonitor", "servicemonitors"},
        new String[] {"PodMonitor", "podmonitors"})) {
      client.resource(standInMonitoringCrd(kind[0], kind[1])).create();
    }
    Awaitility.await("CRDs established").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
      for (String name : List.of("dqliteclusters.dqlite.io", "servicemonitors.monitoring.coreos.com",
          "podmonitors.monitoring.coreos.com")) {
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName(name).get()
            .getStatus().getConditions())
            .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
      }
    });
    Set<String> namespaces = new LinkedHashSet<>(List.of(ChartRender.NAMESPACE, EXAMPLES_NAMESPACE,
        "team-a", "team-b", "monitoring"));
    for (String ns : namespaces) {
      client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
  }

  @AfterAll
  static void stopControlPlane() {
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void chartRendersAreAcceptedForEveryValueSet() {
    List<String> failures = new ArrayList<>();
    for (ValueSet values : ValueSet.values()) {
      dryRunAll("chart/" + values.id, ChartRender.render(values), null, failures);
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void deployBundleIsAccepted() throws IOException {
    List<String> failures = new ArrayList<>();
    dryRunAll("deploy/operator.yaml",
        Files.readString(RepoPaths.resolve("deploy/operator.yaml"), StandardCharsets.UTF_8), null,
        failures);
    assertThat(failures).isEmpty();
  }

  @Test
  void everyExampleIsAccepted() throws IOException {
    List<String> failures = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(RepoPaths.resolve("deploy/examples"))) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      dryRunAll("deploy/examples/" + file.getFileName(),
          Files.readString(file, StandardCharsets.UTF_8), EXAMPLES_NAMESPACE, failures);
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void theApiServerEnforcesTheCrdsRulesOnTheExamples() {
    String invalid = """
        apiVersion: dqlite.io/v1alpha1
        kind: DqliteCluster
        metadata: {name: even-voters}
        spec: {replicas: 3, voters: 4}
        """;
    List<String> failures = new ArrayList<>();
    dryRunAll("even voters", invalid, EXAMPLES_NAMESPACE, failures);
    assertThat(failures).singleElement().asString().contains("voters must be an odd number");
  }

  @Test
  void helmInstallsTheChartOnTheServerAndPrintsTheNextStep() throws Exception {
    for (ValueSet values : List.of(ValueSet.DEFAULT, ValueSet.NAMESPACED_MONITORING)) {
      Process helm = new ProcessBuilder(binDir.resolve("helm").toString(), "install",
          ChartRender.RELEASE, RepoPaths.chart().toString(),
          "--namespace", ChartRender.NAMESPACE, "--dry-run=server",
          "--values", values.valuesFile().toString(),
          "--kubeconfig", controlPlane.kubeconfig().toString())
          .redirectErrorStream(true).start();
      String output = new String(helm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(helm.waitFor(2, TimeUnit.MINUTES)).as("helm install --dry-run=server").isTrue();
      assertThat(helm.exitValue()).as("helm install --dry-run=server (%s):%n%s", values.id, output)
          .isZero();
      assertThat(output).as(values.id).contains("NOTES:").contains("kind: DqliteCluster")
          .contains("kubectl get dqliteclusters");
    }
  }

  /** Dry-run applies each object of a multi-document YAML; failures are collected, not thrown. */
  private static void dryRunAll(String source, String yaml, String namespace, List<String> failures) {
    List<HasMetadata> objects = client.load(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    assertThat(objects).as(source).isNotEmpty();
    for (HasMetadata object : objects) {
      String id = source + ": " + object.getKind() + "/" + object.getMetadata().getName();
      try {
        var resource = namespace != null && object.getMetadata().getNamespace() == null
            && !clusterScoped(object)
            ? client.resource(object).inNamespace(namespace)
            : client.resource(object);
        HasMetadata applied = resource.dryRun().fieldManager(FIELD_MANAGER).forceConflicts()
            .serverSideApply();
        assertThat(applied.getMetadata().getManagedFields()).as(id).isNotEmpty();
      } catch (KubernetesClientException e) {
        failures.add(id + " refused: " + e.getMessage());
      }
    }
  }

  private static boolean clusterScoped(HasMetadata object) {
    return Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding")
        .contains(object.getKind());
  }

  /** A CRD for a monitoring.coreos.com kind that accepts any spec. */
  private static CustomResourceDefinition standInMonitoringCrd(String kind, String plural) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + ".monitoring.coreos.com").endMetadata()
        .withNewSpec()
        .withGroup("monitoring.coreos.com")
        .withScope("Namespaced")
        .withNewNames().withKind(kind).withPlural(plural).endNames()
        .addNewVersion()
        .withName("v1").withServed(true).withStorage(true)
        .withNewSchema().withNewOpenAPIV3Schema()
        .withType("object").withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema().endSchema()
        .endVersion()
        .endSpec()
        .build();
  }

  private static Path locateBinDir() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash",
        RepoPaths.resolve("localkube/build-binaries.sh").toString(), "--print-bin-dir")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return Path.of(out);
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }
}
