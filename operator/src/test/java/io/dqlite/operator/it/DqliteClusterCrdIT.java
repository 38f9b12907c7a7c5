package io.dqlite.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterSpec;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.crd.NetworkPolicySpec;
import io.dqlite.operator.crd.PeerSelector;
import io.dqlite.operator.crd.TlsSpec;
import io.dqlite.operator.crd.ZonesSpec;
import io.dqlite.operator.dependents.DesiredStatefulSet;
import io.dqlite.operator.dependents.PodVolumes;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generated CRD as a real API server enforces it: OpenAPI schema, CEL rules and their messages,
 * the status and scale subresources. No operator runs here.
 */
@ExtendWith(LocalKube.class)
class DqliteClusterCrdIT {

  static String ns;
  static KubernetesClient k;

  @BeforeAll
  static void namespace() {
    k = LocalKube.admin();
    ns = LocalKube.namespace("crd");
  }

  @AfterAll
  static void cleanUp() {
    LocalKube.deleteNamespace(ns);
  }

  static DqliteCluster cluster(String name, Consumer<DqliteClusterSpec> change) {
    DqliteCluster cr = new DqliteCluster();
    cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    DqliteClusterSpec spec = new DqliteClusterSpec();
    change.accept(spec);
    cr.setSpec(spec);
    cr.setStatus(null);
    return cr;
  }

  Resource<DqliteCluster> resource(String name) {
    return k.resources(DqliteCluster.class).inNamespace(ns).withName(name);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          even voters       | voters=4            | voters must be an odd number greater than 1 (3, 5, 7, ...)
          one voter         | voters=1            | should be greater than or equal to 3
          no replicas       | replicas=0          | should be greater than or equal to 1
          negative stand-bys| standBys=-1         | should be greater than or equal to 0
          bad size          | size=lots           | spec.storage.size
          both TLS sources  | tls=both            | tls: set at most one of secretName
          TLS and plaintext | tls=secretPlaintext | tls: set at most one of secretName
          generate: false   | tls=generateFalse   | tls.generate: false does not turn TLS off
          empty metricsFrom | metricsFrom=empty   | networkPolicy.metricsFrom: each entry needs a namespaceSelector
          socket elsewhere  | appSocket=/tmp/db.sock | spec.appSocket
          socket no name    | appSocket=@         | spec.appSocket
          """)
  void invalidSpecsAreRejectedOnCreate(String description, String change, String message) {
    DqliteCluster cr = cluster("bad", spec -> apply(spec, change));
    assertThatThrownBy(() -> k.resource(cr).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          zone label           | -              | zoneLabel=example.com/rack | zoneLabel is immutable
          storage size         | -              | size=2Gi                   | storage.size is immutable
          generated to secret  | tls=generate   | tls=secret                 | the TLS mode is immutable
          generated to plain   | tls=generate   | tls=plaintext              | the TLS mode is immutable
          plain to default     | tls=plaintext  | tls=neither                | the TLS mode is immutable
          secret removed       | tls=secret     | tls=none                   | tls.secretName cannot be removed
          """)
  void immutableFieldsCannotChange(
      String description, String initial, String change, String message) {
    String name = "immutable-" + description.replace(' ', '-').toLowerCase();
    k.resource(
            cluster(
                name,
                spec -> {
                  if (!"-".equals(initial)) {
                    apply(spec, initial);
                  }
                }))
        .create();
    assertThatThrownBy(
            () ->
                resource(name)
                    .edit(
                        cr -> {
                          apply(cr.getSpec(), change);
                          return cr;
                        }))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  @Test
  void defaultsAreFilledInByTheApiServer() {
    k.resource(
            new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                .withApiVersion("dqlite.io/v1alpha1")
                .withKind("DqliteCluster")
                .withNewMetadata()
                .withName("bare")
                .withNamespace(ns)
                .endMetadata()
                .addToAdditionalProperties("spec", java.util.Map.of())
                .build())
        .create();
    DqliteClusterSpec spec = resource("bare").get().getSpec();
    assertThat(spec.getReplicas()).isEqualTo(3);
    assertThat(spec.getVoters()).isEqualTo(3);
    assertThat(spec.getStandBys()).isEqualTo(3);
    assertThat(spec.getZoneLabel()).isEqualTo("topology.kubernetes.io/zone");
    assertThat(spec.getStorage().getSize()).isEqualTo("1Gi");
    assertThat(spec.getStorage().getRetention().getWhenScaled().value()).isEqualTo("Delete");
    assertThat(spec.getStorage().getRetention().getWhenDeleted().value()).isEqualTo("Retain");
    // No default for tls: the API server applies defaults to stored objects too, and a cluster
    // stored without tls before TLS became the default must read back without it (the operator,
    // not the schema, decides what absent means: TlsModeDecision).
    assertThat(spec.getTls()).isNull();
    assertThat(spec.getNetworkPolicy()).isNull();
  }

  /**
   * {@code spec.zones.readNodeLabels} is stored, and the StatefulSet built from it (the token
   * volume mounted into the sidecar alone) passes the API server's validation: a dry-run create.
   */
  @Test
  void readNodeLabelsIsStoredAndItsPodTemplateIsValid() {
    k.resource(
            cluster(
                "zoned",
                spec -> {
                  ZonesSpec zones = new ZonesSpec();
                  zones.setReadNodeLabels(true);
                  spec.setZones(zones);
                }))
        .create();
    DqliteCluster stored = resource("zoned").get();
    assertThat(ZonesSpec.readNodeLabels(stored)).isTrue();
    StatefulSet sts = DesiredStatefulSet.build(stored, 3, "cluster.local");
    StatefulSet validated = k.resource(sts).inNamespace(ns).dryRun().create();
    assertThat(validated.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getName()).isEqualTo(PodVolumes.KUBE_API));
    assertThat(k.apps().statefulSets().inNamespace(ns).withName(sts.getMetadata().getName()).get())
        .as("dry run only")
        .isNull();
  }

  @Test
  void tlsMayBeAddedToNameTheModeAndGeneratedTlsRemoved() {
    k.resource(cluster("legacy", spec -> {})).create();
    resource("legacy")
        .edit(
            cr -> {
              cr.getSpec().setTls(TlsSpec.disabled());
              return cr;
            });
    assertThat(resource("legacy").get().getSpec().getTls().getPlaintext()).isTrue();
    k.resource(cluster("generated", spec -> spec.setTls(TlsSpec.generated()))).create();
    resource("generated")
        .edit(
            cr -> {
              cr.getSpec().setTls(null);
              return cr;
            });
    assertThat(resource("generated").get().getSpec().getTls()).isNull();
  }

  @Test
  void statusIsASubresource() {
    k.resource(cluster("status", spec -> {})).create();
    // A status in a main-resource update is ignored...
    DqliteCluster withStatus = resource("status").get();
    DqliteClusterStatus status = new DqliteClusterStatus();
    status.setLeader("db-0");
    withStatus.setStatus(status);
    withStatus.getSpec().setReplicas(5);
    k.resource(withStatus).update();
    DqliteCluster after = resource("status").get();
    assertThat(after.getSpec().getReplicas()).isEqualTo(5);
    assertThat(after.getStatus() == null ? null : after.getStatus().getLeader()).isNull();
    // ...and a spec in a status update too.
    after.setStatus(status);
    after.getSpec().setReplicas(7);
    k.resource(after).updateStatus();
    DqliteCluster last = resource("status").get();
    assertThat(last.getStatus().getLeader()).isEqualTo("db-0");
    assertThat(last.getSpec().getReplicas()).isEqualTo(5);
    assertThat(last.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void theScaleSubresourceReadsAndWritesSpecReplicas() {
    k.resource(cluster("scale", spec -> {})).create();
    DqliteCluster cr = resource("scale").get();
    DqliteClusterStatus status = new DqliteClusterStatus();
    status.setReplicas(3);
    status.setSelector("app.kubernetes.io/name=dqlite,app.kubernetes.io/instance=scale");
    cr.setStatus(status);
    k.resource(cr).updateStatus();

    Scale scale = resource("scale").scale();
    assertThat(scale.getSpec().getReplicas()).isEqualTo(3);
    assertThat(scale.getStatus().getReplicas()).isEqualTo(3);
    assertThat(scale.getStatus().getSelector())
        .isEqualTo("app.kubernetes.io/name=dqlite,app.kubernetes.io/instance=scale");

    resource("scale").scale(5);
    assertThat(resource("scale").get().getSpec().getReplicas()).isEqualTo(5);
    assertThatThrownBy(() -> resource("scale").scale(0))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("greater than or equal to 1");
  }

  private static void apply(DqliteClusterSpec spec, String change) {
    String[] kv = change.split("=", 2);
    switch (kv[0]) {
      case "voters" -> spec.setVoters(Integer.parseInt(kv[1]));
      case "replicas" -> spec.setReplicas(Integer.parseInt(kv[1]));
      case "standBys" -> spec.setStandBys(Integer.parseInt(kv[1]));
      case "size" -> spec.getStorage().setSize(kv[1]);
      case "zoneLabel" -> spec.setZoneLabel(kv[1]);
      case "appSocket" -> spec.setAppSocket(kv[1]);
      case "tls" -> {
        TlsSpec tls = new TlsSpec();
        switch (kv[1]) {
          case "both" -> {
            tls.setSecretName("mine");
            tls.setGenerate(true);
          }
          case "secretPlaintext" -> {
            tls.setSecretName("mine");
            tls.setPlaintext(true);
          }
          case "generateFalse" -> tls.setGenerate(false);
          case "generate" -> tls.setGenerate(true);
          case "plaintext" -> tls.setPlaintext(true);
          case "secret" -> tls.setSecretName("mine");
          case "none" -> tls = null;
          default -> {}
        }
        spec.setTls(tls);
      }
      case "metricsFrom" -> {
        NetworkPolicySpec np = new NetworkPolicySpec();
        np.setMetricsFrom(java.util.List.of(new PeerSelector()));
        spec.setNetworkPolicy(np);
      }
      default -> throw new IllegalArgumentException(change);
    }
  }
}
