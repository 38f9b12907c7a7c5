package io.dqlite.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.operator.DqliteOperator;
import io.dqlite.operator.OperatorSettings;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterSpec;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.crd.TlsSpec;
import io.dqlite.operator.crd.TlsStatus;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.DesiredStatefulSet;
import io.dqlite.operator.dependents.PodVolumes;
import io.dqlite.operator.dependents.StatefulSetDependent;
import io.dqlite.operator.plan.TlsModeDecision;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TLS as the default on a real API server and StatefulSet controller: a minimal DqliteCluster gets
 * generated certificates mounted into its sidecar; {@code plaintext: true} gets none; and a cluster
 * left by an operator version from before the default (no spec.tls, a plaintext StatefulSet, a
 * status without {@code tls}), present before this operator starts, stays plaintext and is told,
 * with a Warning Event, which field to set.
 */
@ExtendWith(LocalKube.class)
class TlsDefaultIT {

  static final Duration WAIT = Duration.ofSeconds(90);

  static KubernetesClient admin;
  static DqliteOperator operator;
  static String ns;

  @BeforeAll
  static void namespace() {
    admin = LocalKube.admin();
    ns = LocalKube.namespace("tls");
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (ns != null) {
      LocalKube.deleteNamespace(ns);
    }
  }

  @Test
  void newClustersGetTlsAndAnExistingPlaintextClusterStaysPlaintext() throws Exception {
    DqliteCluster legacy = existingPlaintextCluster("legacy");
    operator =
        DqliteOperator.startEmbedded(
            OperatorSettings.fromEnvironment(
                Map.of(
                    "WATCH_NAMESPACES", ns,
                    "LEADER_ELECTION_ENABLED", "false",
                    "POD_NAME", "tls-it",
                    "DQLITE_OPERATOR_HTTP_PORT", "0")),
            // Its own client: closing the operator closes it.
            new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(LocalKube.controlPlane().config())
                .build());
    create("minimal", spec -> {});
    create("optout", spec -> spec.setTls(TlsSpec.disabled()));

    // A minimal cluster: generated certificates, mounted and passed to the sidecar.
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(tlsStatus("minimal").getMode()).isEqualTo("Generated");
              assertThat(tlsStatus("minimal").getReason()).isNull();
              StatefulSet sts = statefulSet("minimal");
              assertThat(StatefulSetDependent.mountsTls(sts)).isTrue();
              assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
                  .filteredOn(v -> PodVolumes.TLS.equals(v.getName()))
                  .singleElement()
                  .satisfies(
                      v -> assertThat(v.getSecret().getSecretName()).isEqualTo("minimal-tls"));
              assertThat(env(sidecar(sts)))
                  .containsEntry("DQLITE_TLS_CERT", "/etc/dqlite/tls/tls.crt")
                  .containsEntry("DQLITE_TLS_KEY", "/etc/dqlite/tls/tls.key")
                  .containsEntry("DQLITE_TLS_CA", "/etc/dqlite/tls/ca.crt");
              assertThat(sidecar(sts).getVolumeMounts())
                  .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/dqlite/tls"));
              Secret secret = get(Secret.class, "minimal-tls");
              assertThat(secret.getData()).containsKeys("tls.crt", "tls.key", "ca.crt");
              assertThat(get(Secret.class, "minimal-tls-ca")).isNotNull();
              assertThat(get(NetworkPolicy.class, "minimal")).isNotNull();
            });

    // The explicit opt-out: plaintext, no Secret, no warning.
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(tlsStatus("optout").getMode()).isEqualTo("Disabled");
              assertThat(tlsStatus("optout").getReason()).isNull();
              assertThat(StatefulSetDependent.mountsTls(statefulSet("optout"))).isFalse();
              assertThat(env(sidecar(statefulSet("optout")))).doesNotContainKey("DQLITE_TLS_CERT");
            });
    assertThat(get(Secret.class, "optout-tls")).isNull();

    // The cluster from before the default: kept plaintext (its template applied again by this
    // operator, still without TLS), told why and what to set.
    await()
        .ignoreExceptions()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TlsStatus tls = tlsStatus("legacy");
              assertThat(tls.getMode()).isEqualTo("Disabled");
              assertThat(tls.getReason()).isEqualTo(TlsModeDecision.PLAINTEXT_BY_DEFAULT);
              assertThat(tls.getMessage()).contains("spec.tls.plaintext: true");
              assertThat(eventsAbout("legacy"))
                  .filteredOn(e -> TlsModeDecision.PLAINTEXT_BY_DEFAULT.equals(e.getReason()))
                  .singleElement()
                  .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
              StatefulSet sts = statefulSet("legacy");
              assertThat(sts.getMetadata().getManagedFields())
                  .as("the operator applied the StatefulSet")
                  .anySatisfy(f -> assertThat(f.getOperation()).isEqualTo("Apply"));
              assertThat(StatefulSetDependent.mountsTls(sts)).isFalse();
              assertThat(env(sidecar(sts))).doesNotContainKey("DQLITE_TLS_CERT");
            });
    assertThat(get(Secret.class, "legacy-tls"))
        .as("no certificates for a plaintext cluster")
        .isNull();
    long generation = statefulSet("legacy").getMetadata().getGeneration();

    // Asking for TLS is not followed (it would split the cluster): the mismatch is reported.
    editSpec("legacy", spec -> spec.setTls(TlsSpec.generated()));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(tlsStatus("legacy").getReason()).isEqualTo(TlsModeDecision.MISMATCH));
    assertThat(StatefulSetDependent.mountsTls(statefulSet("legacy"))).isFalse();
    assertThat(statefulSet("legacy").getMetadata().getGeneration()).isEqualTo(generation);

    // Set back to what it runs, and saying so explicitly, silences it; the mode stays.
    editSpec("legacy", spec -> spec.setTls(null));
    editSpec("legacy", spec -> spec.setTls(TlsSpec.disabled()));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(tlsStatus("legacy").getMode()).isEqualTo("Disabled");
              assertThat(tlsStatus("legacy").getReason()).isNull();
            });
    assertThat(statefulSet("legacy").getMetadata().getGeneration()).isEqualTo(generation);
    assertThat(legacy.getMetadata().getUid())
        .isEqualTo(cluster("legacy").get().getMetadata().getUid());
  }

  /**
   * What an operator version without the TLS default left: the resource without spec.tls, its
   * plaintext StatefulSet owned by it, and a status without {@code tls}.
   */
  static DqliteCluster existingPlaintextCluster(String name) {
    DqliteCluster cr = create(name, spec -> spec.setReplicas(1));
    // The template an older operator made for it: this one's for a plaintext cluster.
    DqliteCluster plaintext = io.fabric8.kubernetes.client.utils.Serialization.clone(cr);
    plaintext.getSpec().setTls(TlsSpec.disabled());
    StatefulSet sts = DesiredStatefulSet.build(plaintext, 1, ClusterNames.DEFAULT_CLUSTER_DOMAIN);
    sts.getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(HasMetadata.getApiVersion(DqliteCluster.class))
                    .withKind(HasMetadata.getKind(DqliteCluster.class))
                    .withName(name)
                    .withUid(cr.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(false)
                    .build()));
    assertThat(StatefulSetDependent.mountsTls(sts)).isFalse();
    admin.resource(sts).create();
    DqliteClusterStatus status = new DqliteClusterStatus();
    status.setObservedGeneration(1L);
    status.setSelector(ClusterNames.selector(cr));
    cr.setStatus(status);
    return admin.resource(cr).updateStatus();
  }

  static DqliteCluster create(String name, Consumer<DqliteClusterSpec> change) {
    DqliteCluster cr = new DqliteCluster();
    cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    DqliteClusterSpec spec = new DqliteClusterSpec();
    spec.setReplicas(1);
    change.accept(spec);
    cr.setSpec(spec);
    cr.setStatus(null);
    return admin.resource(cr).create();
  }

  static Resource<DqliteCluster> cluster(String name) {
    return admin.resources(DqliteCluster.class).inNamespace(ns).withName(name);
  }

  static void editSpec(String name, Consumer<DqliteClusterSpec> change) {
    // The operator patches the status meanwhile: an edit of an older resourceVersion conflicts
    // (409) and is made again on the newest object.
    await()
        .atMost(WAIT)
        .ignoreExceptionsMatching(
            e ->
                e instanceof io.fabric8.kubernetes.client.KubernetesClientException k
                    && k.getCode() == 409)
        .untilAsserted(
            () ->
                cluster(name)
                    .edit(
                        c -> {
                          change.accept(c.getSpec());
                          return c;
                        }));
  }

  static TlsStatus tlsStatus(String name) {
    return cluster(name).get().getStatus().getTls();
  }

  static StatefulSet statefulSet(String name) {
    return get(StatefulSet.class, name);
  }

  static <T extends HasMetadata> T get(Class<T> type, String name) {
    return admin.resources(type).inNamespace(ns).withName(name).get();
  }

  static Container sidecar(StatefulSet sts) {
    return sts.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> "dqlite".equals(c.getName()))
        .findFirst()
        .orElseThrow();
  }

  static Map<String, String> env(Container c) {
    return c.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  static List<Event> eventsAbout(String name) {
    return admin.events().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getRegarding().getName()))
        .toList();
  }
}
