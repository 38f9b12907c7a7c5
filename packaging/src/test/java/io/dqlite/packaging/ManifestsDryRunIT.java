package io.dqlite.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.DesiredServiceMonitor;
import io.dqlite.packaging.ChartRender.ValueSet;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest the chart renders (each golden value set), deploy/operator.yaml and every file
 * under deploy/examples/ go through a server-side apply in dry-run mode with strict field
 * validation on one real kube-apiserver (the local control plane, {@link SharedControlPlane}):
 * types, unknown fields, defaulting, the CRD's CEL rules and admission, with nothing persisted.
 *
 * <p>The DqliteCluster CRD is installed for real first (waited for until Established). The
 * ServiceMonitor and PodMonitor kinds come from packaging/src/test/resources/crds/: closed schemas
 * of the prometheus-operator fields this project writes, so a misspelt monitoring field fails too.
 * Objects are sent as parsed from YAML (no typed model in between), so a quoted number or a wrong
 * type reaches the server as written.
 *
 * <p>Skips, saying why, when the control-plane binaries are not built ({@code make k8s-binaries};
 * {@code make test} builds them first).
 */
@ExtendWith(SharedControlPlane.Resolver.class)
class ManifestsDryRunIT {

  private static final String FIELD_MANAGER = "dqlite-packaging-dry-run";
  private static final String EXAMPLES_NAMESPACE = SharedControlPlane.EXAMPLES_NAMESPACE;

  private static SharedControlPlane shared;
  private static KubernetesClient client;

  /** "apiVersion/kind" → namespaced, from the API server's discovery. */
  private static final Map<String, Boolean> NAMESPACED = new HashMap<>();

  @BeforeAll
  static void connect(SharedControlPlane controlPlane) {
    shared = controlPlane;
    client = controlPlane.client;
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void chartRenderIsAccepted(ValueSet values) {
    assertThat(dryRunAll("chart/" + values.id, Yaml.documents(ChartRender.render(values)), null))
        .isEmpty();
  }

  @Test
  void deployBundleIsAccepted() {
    assertThat(
            dryRunAll(
                "deploy/operator.yaml",
                Yaml.documents(RepoPaths.resolve("deploy/operator.yaml")),
                null))
        .isEmpty();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleIsAccepted(Path file) {
    assertThat(
            dryRunAll(
                "deploy/examples/" + file.getFileName(), Yaml.documents(file), EXAMPLES_NAMESPACE))
        .isEmpty();
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> list = Files.list(RepoPaths.resolve("deploy/examples"))) {
      List<Path> files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(files).as("deploy/examples/*.yaml").isNotEmpty();
      return files.stream();
    }
  }

  /**
   * The ServiceMonitor the operator creates for prometheus-servicemonitor.yaml fits the kind too.
   */
  @Test
  void theOperatorsServiceMonitorIsAccepted() {
    JsonNode example =
        Yaml.one(
                Yaml.documents(RepoPaths.resolve("deploy/examples/prometheus-servicemonitor.yaml")),
                "DqliteCluster",
                "monitored")
            .deepCopy();
    ((ObjectNode) example.path("metadata")).put("namespace", EXAMPLES_NAMESPACE);
    DqliteCluster cr =
        client.getKubernetesSerialization().convertValue(example, DqliteCluster.class);
    JsonNode monitor =
        client
            .getKubernetesSerialization()
            .convertValue(DesiredServiceMonitor.build(cr), JsonNode.class);
    assertThat(dryRunAll("operator's ServiceMonitor", List.of(monitor), null)).isEmpty();
  }

  /** The checks above can fail: the server sees the CRD's CEL rules. */
  @Test
  void theCrdsRulesAreEnforced() {
    List<JsonNode> invalid =
        Yaml.documents(
            """
        apiVersion: dqlite.io/v1alpha1
        kind: DqliteCluster
        metadata: {name: even-voters}
        spec: {replicas: 3, voters: 4}
        """);
    assertThat(dryRunAll("even voters", invalid, EXAMPLES_NAMESPACE))
        .singleElement()
        .asString()
        .contains("voters must be an odd number");
  }

  /**
   * ... and unknown fields: a misspelt field of a built-in kind and of a monitoring kind are
   * refused, not pruned with a warning.
   */
  @Test
  void aMisspeltFieldIsRefused() {
    List<JsonNode> docs = Yaml.documents(ChartRender.render(ValueSet.NAMESPACED_MONITORING));
    ObjectNode deployment =
        (ObjectNode) Yaml.ofKind(docs, "Deployment").findFirst().orElseThrow().deepCopy();
    ((ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0))
        .put("securityContex", "typo");
    ObjectNode podMonitor =
        (ObjectNode) Yaml.ofKind(docs, "PodMonitor").findFirst().orElseThrow().deepCopy();
    ((ObjectNode) podMonitor.path("spec").path("podMetricsEndpoints").get(0))
        .put("intervall", "30s");

    assertThat(dryRunAll("typos", List.of(deployment, podMonitor), null))
        .hasSize(2)
        .allSatisfy(f -> assertThat(f).contains("field not declared in schema"))
        .anySatisfy(f -> assertThat(f).contains("securityContex"))
        .anySatisfy(f -> assertThat(f).contains("intervall"));
  }

  /** The helm CLI itself: install against the server (dry run) and NOTES.txt, every value set. */
  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void helmInstallsTheChartOnTheServerAndPrintsTheNextStep(ValueSet values) throws Exception {
    HelmRun run = helmInstallDryRun("--values", values.valuesFile().toString());
    assertThat(run.exitCode)
        .as("helm install --dry-run=server (%s):%n%s", values.id, run.output)
        .isZero();
    assertThat(run.output)
        .as(values.id)
        .contains("NOTES:")
        .contains("kind: DqliteCluster")
        .contains("kubectl get dqliteclusters");
  }

  /** A value of the wrong type stops `helm install` before anything reaches the server. */
  @Test
  void helmInstallRefusesAWrongValueTypeNamingTheKey() throws Exception {
    HelmRun run = helmInstallDryRun("--set", "replicaCount=two");
    assertThat(run.exitCode).as(run.output).isNotZero();
    assertThat(run.output)
        .contains("values don't meet the specifications of the schema")
        .contains("at '/replicaCount': got string, want integer");
  }

  private record HelmRun(int exitCode, String output) {}

  private static HelmRun helmInstallDryRun(String... extra) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                shared.binDir.resolve("helm").toString(),
                "install",
                ChartRender.RELEASE,
                RepoPaths.chart().toString(),
                "--namespace",
                ChartRender.NAMESPACE,
                "--dry-run=server",
                "--kubeconfig",
                shared.controlPlane.kubeconfig().toString()));
    command.addAll(List.of(extra));
    Process helm = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = helm.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(helm.waitFor(2, TimeUnit.MINUTES)).as("helm install --dry-run=server").isTrue();
    return new HelmRun(helm.exitValue(), output);
  }

  /**
   * Dry-run applies each object; returns one line per refused object. Objects without a namespace
   * go to {@code namespace} when their kind is namespaced.
   */
  private static List<String> dryRunAll(String source, List<JsonNode> docs, String namespace) {
    assertThat(docs).as(source).isNotEmpty();
    List<String> failures = new ArrayList<>();
    for (JsonNode doc : docs) {
      GenericKubernetesResource object =
          client.getKubernetesSerialization().convertValue(doc, GenericKubernetesResource.class);
      String id = source + ": " + Yaml.id(doc);
      if (namespace != null && object.getMetadata().getNamespace() == null && namespaced(object)) {
        object.getMetadata().setNamespace(namespace);
      }
      try {
        HasMetadata applied =
            client
                .resource(object)
                .dryRun()
                .fieldValidation(Validation.STRICT)
                .fieldManager(FIELD_MANAGER)
                .forceConflicts()
                .serverSideApply();
        assertThat(applied.getMetadata().getManagedFields()).as(id).isNotEmpty();
      } catch (KubernetesClientException e) {
        failures.add(id + " refused: " + e.getMessage());
      }
    }
    return failures;
  }

  private static boolean namespaced(GenericKubernetesResource object) {
    return NAMESPACED.computeIfAbsent(
        object.getApiVersion() + "/" + object.getKind(),
        key -> {
          APIResource resource =
              client.getApiResources(object.getApiVersion()).getResources().stream()
                  .filter(r -> r.getKind().equals(object.getKind()) && !r.getName().contains("/"))
                  .findFirst()
                  .orElseThrow(() -> new AssertionError("the API server does not serve " + key));
          return resource.getNamespaced();
        });
  }
}
