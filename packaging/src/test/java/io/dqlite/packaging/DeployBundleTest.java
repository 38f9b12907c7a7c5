package io.dqlite.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** deploy/operator.yaml is the chart's default render plus the namespace and the CRD. */
class DeployBundleTest {

  @Test
  void bundleIsAFreshRenderOfTheChart() throws IOException {
    Generated.check(RepoPaths.resolve("deploy/operator.yaml"), ChartRender.deployBundle());
  }

  @Test
  void bundleCreatesTheNamespaceAndTheCrdFirstAndPutsEverythingInIt() {
    List<JsonNode> docs = Yaml.documents(RepoPaths.resolve("deploy/operator.yaml"));
    assertThat(Yaml.id(docs.get(0))).isEqualTo("Namespace/" + ChartRender.NAMESPACE);
    assertThat(Yaml.id(docs.get(1))).isEqualTo("CustomResourceDefinition/dqliteclusters.dqlite.io");
    Set<String> clusterScoped =
        Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding");
    for (JsonNode doc : docs) {
      if (!clusterScoped.contains(doc.path("kind").asText())) {
        assertThat(doc.at("/metadata/namespace").asText())
            .as(Yaml.id(doc))
            .isEqualTo(ChartRender.NAMESPACE);
      }
    }
    assertThat(docs.stream().map(d -> d.path("kind").asText())).contains("Deployment");
  }
}
