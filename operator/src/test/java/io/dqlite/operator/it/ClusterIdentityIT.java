package io.dqlite.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.operator.DqliteClusterReconciler;
import io.dqlite.operator.crd.ConditionTypes;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.RecoverySpec;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.JoinSeeds;
import io.dqlite.operator.kube.DataClaims;
import io.dqlite.operator.status.StatusWriter;
import io.dqlite.operator.testing.FakeCluster;
import io.dqlite.operator.testing.FakeServices;
import io.dqlite.operator.testing.FakeWorkloads;
import io.dqlite.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One cluster per name, on a real API server and StatefulSet controller: a DqliteCluster re-created
 * over claims retained from an earlier one (pod 0's lost) adopts their identity and lets no pod
 * bootstrap, saying why; over claims of two clusters it starts nothing until {@code
 * spec.recovery.clusterId} names one; a new one records a fresh identity before its pods exist and
 * lets pod 0 bootstrap. The claims the StatefulSet makes are labelled with the identity.
 */
@ExtendWith(LocalKube.class)
class ClusterIdentityIT {

  static final Duration WAIT = Duration.ofSeconds(90);
  static final String OLD = "0d4f5a9e-1111-4c1c-9d9d-00000000000a";
  static final String OTHER = "0d4f5a9e-2222-4c1c-9d9d-00000000000b";

  final KubernetesClient client = LocalKube.admin();
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Operator> operators = new CopyOnWriteArrayList<>();
  String ns;

  @BeforeEach
  void namespace() {
    ns = LocalKube.namespace("identity");
  }

  @AfterEach
  void stop() {
    operators.forEach(Operator::stop);
    LocalKube.deleteNamespace(ns);
  }

  @Test
  void recreatedOverRetainedClaimsAdoptsTheirIdentityAndNoPodBootstraps() {
    // What a deleted DqliteCluster "db" left: the claims of pods 1 and 2; pod 0's volume is lost.
    claim("db", 1, OLD);
    claim("db", 2, OLD);
    start();
    client.resource(cluster("db")).create();

    await("adopted, and Degraded says why no pod bootstraps")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              DqliteCluster cr = current("db");
              assertThat(cr.getStatus().getIdentity()).isNotNull();
              assertThat(cr.getStatus().getIdentity().getClusterId()).isEqualTo(OLD);
              assertThat(cr.getStatus().getIdentity().adopted()).isTrue();
              Condition degraded = condition(cr, ConditionTypes.DEGRADED);
              assertThat(degraded.getReason()).isEqualTo("BootstrapRefused");
              assertThat(degraded.getMessage())
                  .contains("cluster " + OLD + " was adopted")
                  .contains("dqlite-data-db-1, dqlite-data-db-2")
                  .contains("no pod bootstraps");
            });
    // Every pod is told the cluster exists and its identity, and joins through every pod.
    Map<String, String> join = configMap("db").getData();
    assertThat(join)
        .containsEntry(JoinSeeds.CLUSTER_EXISTS_KEY, "true")
        .containsEntry(JoinSeeds.CLUSTER_ID_KEY, OLD);
    assertThat(join.get(JoinSeeds.KEY).split(",")).hasSize(3);
    assertThat(statefulSet("db").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("DQLITE_CLUSTER_ID");
              assertThat(e.getValueFrom().getConfigMapKeyRef().getKey())
                  .isEqualTo(JoinSeeds.CLUSTER_ID_KEY);
            });
    // Pod 0's new claim, made by the StatefulSet controller, carries the cluster's identity.
    await("pod 0's new claim labelled")
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(label("db", 0)).isEqualTo(OLD));
  }

  @Test
  void claimsOfTwoClustersStartNothingUntilTheRecoveryFieldNamesOne() {
    claim("db", 0, OLD);
    claim("db", 1, OTHER);
    start();
    client.resource(cluster("db")).create();

    await("blocked")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Condition degraded = condition(current("db"), ConditionTypes.DEGRADED);
              assertThat(degraded.getReason()).isEqualTo("ClusterIdConflict");
              assertThat(degraded.getMessage())
                  .contains("dqlite-data-db-0: " + OLD)
                  .contains("dqlite-data-db-1: " + OTHER)
                  .contains("spec.recovery.clusterId");
            });
    assertThat(current("db").getStatus().getIdentity()).isNull();
    assertThat(client.apps().statefulSets().inNamespace(ns).withName("db").get())
        .as("no pod is started")
        .isNull();
    assertThat(client.configMaps().inNamespace(ns).withName("db-join").get()).isNull();

    client
        .resources(DqliteCluster.class)
        .inNamespace(ns)
        .withName("db")
        .edit(
            cr -> {
              RecoverySpec recovery = new RecoverySpec();
              recovery.setClusterId(OLD);
              cr.getSpec().setRecovery(recovery);
              return cr;
            });
    await("proceeds with the named identity")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              DqliteCluster cr = current("db");
              assertThat(cr.getStatus().getIdentity()).isNotNull();
              assertThat(cr.getStatus().getIdentity().getClusterId()).isEqualTo(OLD);
              assertThat(cr.getStatus().getIdentity().adopted()).isTrue();
              assertThat(configMap("db").getData())
                  .containsEntry(JoinSeeds.CLUSTER_ID_KEY, OLD)
                  .containsEntry(JoinSeeds.CLUSTER_EXISTS_KEY, "true");
              assertThat(statefulSet("db").getSpec().getReplicas()).isEqualTo(3);
              // The other cluster's claim is named: its pod will refuse to start.
              Condition degraded = condition(cr, ConditionTypes.DEGRADED);
              assertThat(degraded.getReason()).isEqualTo("ForeignVolumes");
              assertThat(degraded.getMessage()).contains("dqlite-data-db-1: " + OTHER);
            });
    assertThat(label("db", 1)).as("another cluster's claim is left as it is").isEqualTo(OTHER);
  }

  @Test
  void aNewClusterRecordsAFreshIdentityAndLetsPodZeroBootstrap() {
    start();
    client.resource(cluster("fresh")).create();
    await("recorded and given to the pods")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              DqliteCluster cr = current("fresh");
              assertThat(cr.getStatus().getIdentity()).isNotNull();
              String id = cr.getStatus().getIdentity().getClusterId();
              assertThat(id).isNotBlank();
              assertThat(cr.getStatus().getIdentity().adopted()).isFalse();
              assertThat(configMap("fresh").getData())
                  .containsEntry(JoinSeeds.CLUSTER_ID_KEY, id)
                  .containsEntry(JoinSeeds.CLUSTER_EXISTS_KEY, "false")
                  .containsEntry(JoinSeeds.KEY, ClusterNames.podAddress(cr, 0, Fixtures.DOMAIN));
              assertThat(label("fresh", 0)).isEqualTo(id);
            });
  }

  private void start() {
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withDefaultNonSSAResource(Set.of()));
    FakeCluster dqlite = new FakeCluster("v0* v1 v2");
    operator.register(
        new DqliteClusterReconciler(
            FakeServices.of(dqlite, dqlite, new FakeWorkloads(), events),
            StatusWriter.serverSideApply()));
    operator.start();
    operators.add(operator);
  }

  private DqliteCluster cluster(String name) {
    DqliteCluster cr = Fixtures.cluster();
    cr.getMetadata().setName(name);
    cr.getMetadata().setNamespace(ns);
    cr.getMetadata().setUid(null);
    cr.getMetadata().setGeneration(null);
    return cr;
  }

  /** A claim as the StatefulSet controller makes it, labelled as the operator labels it. */
  private void claim(String cluster, int ordinal, String clusterId) {
    PersistentVolumeClaim pvc =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(ClusterNames.DATA_VOLUME + "-" + cluster + "-" + ordinal)
            .withNamespace(ns)
            .addToLabels(DataClaims.CLUSTER_ID_LABEL, clusterId)
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withNewResources()
            .addToRequests("storage", new Quantity("1Gi"))
            .endResources()
            .endSpec()
            .build();
    client.resource(pvc).create();
  }

  private String label(String cluster, int ordinal) {
    PersistentVolumeClaim pvc =
        client
            .persistentVolumeClaims()
            .inNamespace(ns)
            .withName(ClusterNames.DATA_VOLUME + "-" + cluster + "-" + ordinal)
            .get();
    assertThat(pvc).as("claim %s-%d", cluster, ordinal).isNotNull();
    Map<String, String> labels = pvc.getMetadata().getLabels();
    return labels == null ? null : labels.get(DataClaims.CLUSTER_ID_LABEL);
  }

  private DqliteCluster current(String name) {
    DqliteCluster cr = client.resources(DqliteCluster.class).inNamespace(ns).withName(name).get();
    assertThat(cr.getStatus()).as("status of %s", name).isNotNull();
    return cr;
  }

  private static Condition condition(DqliteCluster cr, String type) {
    assertThat(cr.getStatus().getConditions()).as("conditions").isNotNull();
    return cr.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " condition"));
  }

  private ConfigMap configMap(String cluster) {
    ConfigMap cm = client.configMaps().inNamespace(ns).withName(cluster + "-join").get();
    assertThat(cm).as("join ConfigMap of %s", cluster).isNotNull();
    return cm;
  }

  private StatefulSet statefulSet(String name) {
    StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName(name).get();
    assertThat(sts).as("StatefulSet %s", name).isNotNull();
    return sts;
  }
}
