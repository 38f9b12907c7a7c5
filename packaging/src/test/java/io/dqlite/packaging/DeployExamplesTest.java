package io.dqlite.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqlite.client.jdbc.DqliteUrl;
import io.dqlite.operator.crd.DqliteClusterSpec;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.Sidecar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/examples/: each file parses, each DqliteCluster conforms to the generated CRD's schema,
 * and each example shows what its name promises. The API server's own checks (CEL rules included)
 * run in {@link ManifestsDryRunIT}.
 */
class DeployExamplesTest {

  private static CrdSchemaCheck schema;

  @BeforeAll
  static void readCrd() {
    schema = new CrdSchemaCheck(Yaml.documents(RepoPaths.crd()).get(0), "v1alpha1");
  }

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(RepoPaths.resolve("deploy/examples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyClusterConformsToTheCrd(Path file) {
    List<JsonNode> docs = Yaml.documents(file);
    assertThat(docs).as("%s holds objects", file.getFileName()).isNotEmpty();
    for (JsonNode doc : docs) {
      assertThat(doc.path("apiVersion").asText()).as(Yaml.id(doc)).isNotBlank();
      assertThat(doc.at("/metadata/name").asText()).as(Yaml.id(doc)).isNotBlank();
      assertThat(doc.at("/metadata/namespace").isMissingNode())
          .as("%s: examples apply to the current namespace", Yaml.id(doc))
          .isTrue();
      if (doc.path("kind").asText().equals("DqliteCluster")) {
        assertThat(doc.path("apiVersion").asText()).isEqualTo("dqlite.io/v1alpha1");
        assertThat(schema.validateSpec(doc))
            .as("%s in %s", Yaml.id(doc), file.getFileName())
            .isEmpty();
        assertThat(doc.path("status").isMissingNode()).isTrue();
      }
    }
  }

  @Test
  void schemaCheckRejectsWhatTheApiServerWould() {
    JsonNode bad =
        Yaml.documents(
                """
        apiVersion: dqlite.io/v1alpha1
        kind: DqliteCluster
        metadata: {name: bad}
        spec:
          replicas: three
          replica: 3
          imagePullPolicy: Sometimes
          standBys: -1
          storage: {size: 1 GB}
          resources: {limits: {memory: [1]}}
          podTemplate: {anything: goes}
        """)
            .get(0);
    assertThat(schema.validateSpec(bad))
        .containsExactlyInAnyOrder(
            "spec.replicas: must be integer, got string",
            "spec.replica: unknown field",
            "spec.imagePullPolicy: \"Sometimes\" is not one of [\"Always\",\"IfNotPresent\",\"Never\"]",
            "spec.standBys: -1 is below the minimum 0.0",
            "spec.storage.size: \"1 GB\" does not match "
                + "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$",
            "spec.resources.limits.memory: must be an integer or a string, got ARRAY");
  }

  @Test
  void minimalIsThreeReplicasWithTheSecureDefaults() {
    JsonNode c = cluster("minimal.yaml");
    assertThat(c.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(c.path("spec").size())
        .as("no tls (generated TLS is the default), no networkPolicy (enabled by default)")
        .isEqualTo(1);
  }

  @Test
  void plaintextIsExplicitAndWarned() throws IOException {
    JsonNode tls = cluster("plaintext.yaml").at("/spec/tls");
    assertThat(tls.path("plaintext").asBoolean()).isTrue();
    assertThat(tls.size()).isEqualTo(1);
    assertThat(Files.readString(RepoPaths.resolve("deploy/examples/plaintext.yaml")))
        .startsWith("# WARNING: no TLS.")
        .contains("DUMP every database");
  }

  @Test
  void fiveReplicasOverThreeZonesHaveThreeVotersAndStandBys() {
    JsonNode spec = cluster("five-replicas-three-zones.yaml").path("spec");
    assertThat(spec.path("replicas").asInt()).isEqualTo(5);
    assertThat(spec.path("voters").asInt()).isEqualTo(3);
    assertThat(spec.path("standBys").asInt()).isEqualTo(2);
    assertThat(spec.path("zoneLabel").asText()).isEqualTo("topology.kubernetes.io/zone");
  }

  @Test
  void tlsComesGeneratedOrFromASecret() {
    JsonNode generated = cluster("tls-generated.yaml").at("/spec/tls");
    assertThat(generated.path("generate").asBoolean()).isTrue();
    assertThat(generated.has("secretName")).isFalse();
    JsonNode provided = cluster("tls-secret.yaml").at("/spec/tls");
    assertThat(provided.path("secretName").asText()).isNotBlank();
    assertThat(provided.has("generate")).isFalse();
  }

  @Test
  void appReachesItsNodeThroughTheSocketTheOperatorMounts() {
    JsonNode app = cluster("app-socket.yaml").at("/spec/podTemplate/spec/containers/0");
    assertThat(app.path("name").asText()).isNotEqualTo(Sidecar.CONTAINER_NAME);
    assertThat(app.path("env").toString())
        .contains("jdbc:dqlite:unix:" + DqliteClusterSpec.DEFAULT_APP_SOCKET + "?");
  }

  /** The example's JDBC URL is one this project's driver accepts, for the socket the pod gets. */
  @Test
  void appsJdbcUrlParsesToTheMountedSocket() throws SQLException {
    JsonNode app = cluster("app-socket.yaml").at("/spec/podTemplate/spec/containers/0");
    String url = null;
    for (JsonNode env : app.path("env")) {
      if (env.path("value").asText().startsWith(DqliteUrl.PREFIX)) {
        url = env.path("value").asText();
      }
    }
    assertThat(url).as("a jdbc:dqlite: URL in the app container's env").isNotNull();
    DqliteUrl parsed = DqliteUrl.parse(url, new Properties());
    assertThat(parsed.addresses())
        .singleElement()
        .asString()
        .contains(DqliteClusterSpec.DEFAULT_APP_SOCKET);
    assertThat(parsed.database()).isEqualTo("orders");
  }

  @Test
  void prometheusExamplesSelectTheSidecarsAdminPort() {
    assertThat(
            cluster("prometheus-servicemonitor.yaml")
                .at("/spec/metrics/serviceMonitor")
                .asBoolean())
        .isTrue();

    JsonNode podMonitor =
        Yaml.documents(RepoPaths.resolve("deploy/examples/prometheus-podmonitor.yaml")).get(0);
    assertThat(
            podMonitor
                .at("/spec/selector/matchLabels/" + ClusterNames.NAME_LABEL.replace("/", "~1"))
                .asText())
        .isEqualTo(ClusterNames.APP_NAME);
    assertThat(
            podMonitor
                .at(
                    "/spec/selector/matchLabels/"
                        + ClusterNames.MANAGED_BY_LABEL.replace("/", "~1"))
                .asText())
        .isEqualTo(ClusterNames.MANAGER);
    assertThat(podMonitor.at("/spec/podMetricsEndpoints/0/port").asText())
        .isEqualTo(Sidecar.ADMIN_PORT_NAME);

    JsonNode configMap =
        Yaml.documents(RepoPaths.resolve("deploy/examples/prometheus-scrape-config.yaml")).get(0);
    JsonNode job =
        Yaml.documents(configMap.at("/data/prometheus.yml").asText())
            .get(0)
            .at("/scrape_configs/0");
    assertThat(job.at("/kubernetes_sd_configs/0/role").asText()).isEqualTo("pod");
    assertThat(job.at("/metrics_path").asText()).isEqualTo(Sidecar.METRICS);
    assertThat(job.path("relabel_configs").toString())
        .contains("\"regex\":\"" + ClusterNames.APP_NAME + ";" + ClusterNames.MANAGER + "\"")
        .contains("\"regex\":\"" + Sidecar.ADMIN_PORT_NAME + "\"");
  }

  private static JsonNode cluster(String file) {
    List<JsonNode> docs = Yaml.documents(RepoPaths.resolve("deploy/examples/" + file));
    return Yaml.ofKind(docs, "DqliteCluster")
        .findFirst()
        .orElseThrow(() -> new AssertionError(file + " holds no DqliteCluster"));
  }
}
