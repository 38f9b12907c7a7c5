package io.dqlite.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CRD generated from the model: committed copy up to date, and the shape the product needs. */
class GeneratedCrdTest {

  static final String FILE = "dqliteclusters.dqlite.io-v1.yml";
  static final Path COMMITTED = Path.of("..", "crds", FILE);

  static String generatedYaml() {
    try (InputStream in = GeneratedCrdTest.class.getResourceAsStream("/META-INF/fabric8/" + FILE)) {
      assertThat(in)
          .as("the crd-generator-maven-plugin output (process-classes) is on the classpath")
          .isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CustomResourceDefinition generated() {
    return Serialization.unmarshal(generatedYaml(), CustomResourceDefinition.class);
  }

  static JSONSchemaProps schema() {
    return generated().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  @Test
  void committedCrdMatchesTheModel() throws IOException {
    assertThat(Files.readString(COMMITTED))
        .as(
            "crds/%s differs from the CRD generated from io.dqlite.operator.crd; refresh it with"
                + " `mvn -pl operator -am -Dcrds.update process-classes` and commit it",
            FILE)
        .isEqualTo(generatedYaml());
  }

  @Test
  void namesAndScope() {
    CustomResourceDefinition crd = generated();
    assertThat(crd.getMetadata().getName()).isEqualTo("dqliteclusters.dqlite.io");
    assertThat(crd.getSpec().getGroup()).isEqualTo(DqliteCluster.GROUP);
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("DqliteCluster");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("dqc");
    assertThat(crd.getSpec().getVersions())
        .extracting(CustomResourceDefinitionVersion::getName)
        .containsExactly(DqliteCluster.VERSION);
  }

  @Test
  void statusAndScaleSubresources() {
    var subresources = generated().getSpec().getVersions().get(0).getSubresources();
    assertThat(subresources.getStatus()).isNotNull();
    assertThat(subresources.getScale().getSpecReplicasPath()).isEqualTo(".spec.replicas");
    assertThat(subresources.getScale().getStatusReplicasPath()).isEqualTo(".status.replicas");
    assertThat(subresources.getScale().getLabelSelectorPath()).isEqualTo(".status.selector");
  }

  @Test
  void printerColumns() {
    // The generator orders columns by JSON path, so Age comes first.
    assertThat(generated().getSpec().getVersions().get(0).getAdditionalPrinterColumns())
        .extracting(
            CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Replicas", ".spec.replicas"),
            org.assertj.core.groups.Tuple.tuple("Ready", ".status.readyReplicas"),
            org.assertj.core.groups.Tuple.tuple("Leader", ".status.leader"),
            org.assertj.core.groups.Tuple.tuple(
                "VoterTopology", ".status.conditions[?(@.type==\"VoterTopology\")].status"),
            org.assertj.core.groups.Tuple.tuple("Voters", ".status.voters"),
            org.assertj.core.groups.Tuple.tuple("Age", ".metadata.creationTimestamp"));
  }

  @Test
  void podTemplateIsOpaque() {
    JSONSchemaProps podTemplate =
        schema().getProperties().get("spec").getProperties().get("podTemplate");
    assertThat(podTemplate.getXKubernetesPreserveUnknownFields()).isTrue();
    assertThat(podTemplate.getProperties()).isNullOrEmpty();
  }

  @Test
  void enumsUseKubernetesSpelling() {
    JSONSchemaProps spec = schema().getProperties().get("spec");
    assertThat(spec.getProperties().get("imagePullPolicy").getEnum())
        .extracting(n -> n.asText())
        .containsExactlyInAnyOrder("Always", "IfNotPresent", "Never");
    JSONSchemaProps retention =
        spec.getProperties().get("storage").getProperties().get("retention");
    assertThat(retention.getProperties().get("whenScaled").getEnum())
        .extracting(n -> n.asText())
        .containsExactlyInAnyOrder("Retain", "Delete");
  }
}
