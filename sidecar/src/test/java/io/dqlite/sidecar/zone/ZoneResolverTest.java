package io.dqlite.sidecar.zone;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class ZoneResolverTest {

  private static final String LABEL = "topology.kubernetes.io/zone";

  static KubernetesClient client;

  @TempDir Path dir;

  private Supplier<KubernetesClient> api() {
    return () -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
  }

  @BeforeEach
  void nodes() {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("worker-1")
                .addToLabels(LABEL, "zone-b")
                .endMetadata()
                .build())
        .createOr(r -> r.update());
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName("unlabelled").endMetadata().build())
        .createOr(r -> r.update());
  }

  @Test
  void flagWins() throws IOException {
    Path labels = labels("topology.kubernetes.io/zone=\"zone-from-pod\"");
    ZoneResolver.Zone z = new ZoneResolver(LABEL, labels, "worker-1", api()).resolve("zone-x");
    assertThat(z.zone()).contains("zone-x");
    assertThat(z.source()).isEqualTo(ZoneResolver.Source.FLAG);
    assertThat(z.failureDomain()).isEqualTo(FailureDomains.of("zone-x"));
  }

  @Test
  void podLabelsComeBeforeTheNode() throws IOException {
    Path labels = labels("app=\"db\"\ntopology.kubernetes.io/zone=\"zone-from-pod\"");
    ZoneResolver.Zone z = new ZoneResolver(LABEL, labels, "worker-1", api()).resolve(null);
    assertThat(z)
        .isEqualTo(
            new ZoneResolver.Zone(Optional.of("zone-from-pod"), ZoneResolver.Source.POD_LABELS));
  }

  @Test
  void nodeLabelWhenThePodHasNone() throws IOException {
    Path labels = labels("app=\"db\"");
    ZoneResolver.Zone z = new ZoneResolver(LABEL, labels, "worker-1", api()).resolve("");
    assertThat(z).isEqualTo(new ZoneResolver.Zone(Optional.of("zone-b"), ZoneResolver.Source.NODE));
  }

  @Test
  void missingFileFallsBackToTheNode() {
    ZoneResolver.Zone z =
        new ZoneResolver(LABEL, dir.resolve("absent"), "worker-1", api()).resolve(null);
    assertThat(z.zone()).contains("zone-b");
  }

  @Test
  void customLabel() {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("custom")
                .addToLabels("example.com/rack", "r7")
                .endMetadata()
                .build())
        .createOr(r -> r.update());
    ZoneResolver.Zone z = new ZoneResolver("example.com/rack", null, "custom", api()).resolve(null);
    assertThat(z.zone()).contains("r7");
  }

  @Test
  void unlabelledOrUnknownNodeOrNoNodeNameIsDomainZero() {
    assertThat(new ZoneResolver(LABEL, null, "unlabelled", api()).resolve(null))
        .isEqualTo(ZoneResolver.Zone.UNKNOWN);
    assertThat(new ZoneResolver(LABEL, null, "no-such-node", api()).resolve(null))
        .isEqualTo(ZoneResolver.Zone.UNKNOWN);
    assertThat(new ZoneResolver(LABEL, null, null, api()).resolve(null).failureDomain()).isZero();
  }

  @Test
  void unreachableApiServerIsAWarningAndDomainZero() {
    Supplier<KubernetesClient> nowhere =
        () ->
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder()
                        .withMasterUrl("http://127.0.8.250:1")
                        .withRequestRetryBackoffLimit(0)
                        .withConnectionTimeout(2_000)
                        .withRequestTimeout(2_000)
                        .build())
                .build();
    ZoneResolver.Zone z = new ZoneResolver(LABEL, null, "worker-1", nowhere).resolve(null);
    assertThat(z).isEqualTo(ZoneResolver.Zone.UNKNOWN);
    assertThat(z.failureDomain()).isZero();
  }

  @Test
  void failuresNameTheirCauseAndTheFix() {
    KubernetesClientException refused =
        new KubernetesClientException(
            "Operation: [get]  for kind: [Node]  with name: [w]  in namespace: [null]  failed.",
            new java.io.IOException("x", new java.net.ConnectException("Connection refused")));
    assertThat(ZoneResolver.failure(refused, "the API server https://10.0.0.1/", "w"))
        .isEqualTo(
            "cannot reach the API server https://10.0.0.1/ for Node w"
                + " (IOException: x, caused by ConnectException: Connection refused)");
    assertThat(ZoneResolver.remedy(refused)).startsWith("check that the API server is reachable");
    KubernetesClientException forbidden =
        new KubernetesClientException("nodes is forbidden", 403, null);
    assertThat(ZoneResolver.failure(forbidden, "the API server", "w"))
        .isEqualTo("the API server answered HTTP 403 to reading Node w (nodes is forbidden)");
    assertThat(ZoneResolver.remedy(forbidden)).startsWith("grant get on nodes");
    assertThat(ZoneResolver.remedy(new KubernetesClientException("boom", 500, null)))
        .isEqualTo("set --zone to skip the API");
    assertThat(ZoneResolver.failure(new IllegalStateException("no config"), "the API server", "w"))
        .isEqualTo("cannot reach the API server for Node w (IllegalStateException: no config)");
  }

  private Path labels(String text) throws IOException {
    Path f = dir.resolve("labels");
    Files.writeString(f, text);
    return f;
  }
}
