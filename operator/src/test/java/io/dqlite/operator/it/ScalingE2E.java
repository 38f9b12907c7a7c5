package io.dqlite.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.localkube.LocalControlPlane;
import io.dqlite.localkube.agent.NodeAgent;
import io.dqlite.localkube.pods.ImageTable;
import io.dqlite.operator.DqliteOperator;
import io.dqlite.operator.OperatorSettings;
import io.dqlite.operator.crd.ConditionTypes;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterSpec;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.crd.MemberStatus;
import io.dqlite.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator on real dqlite: localkube's control plane and node agent (three nodes in three
 * zones) run the sidecar jar as each pod's container. A cluster bootstraps, grows to five and
 * shrinks back to three, the two departing members leaving raft before their pods go, then rolls a
 * new image one pod at a time. Needs the sidecar jar ({@code mvn -pl sidecar -am package}); its own
 * control plane, so that its nodes do not change what the other tests see.
 */
class ScalingE2E {

  private static final Logger log = LoggerFactory.getLogger(ScalingE2E.class);

  /** The sidecar jar; {@code -Ddqlite.sidecarJar=...} points at another build. */
  static final Path SIDECAR_JAR =
      Path.of(System.getProperty("dqlite.sidecarJar", "../sidecar/target/dqlite-sidecar.jar"));

  static final Duration DEADLINE = Duration.ofMinutes(5);

  static LocalControlPlane cp;
  static NodeAgent agent;
  static DqliteOperator operator;
  static KubernetesClient k;
  static String ns = "e2e";

  @BeforeAll
  static void up() throws Exception {
    Assumptions.assumeTrue(
        Files.isRegularFile(SIDECAR_JAR),
        "the sidecar jar is needed: mvn -pl sidecar -am package -DskipTests");
    // Unix socket paths are limited to 107 bytes, and the agent puts each pod's app socket under
    // <state>/agent/pods/<uid>/volumes/: the state directory must be short. Not under /tmp: the
    // agent rewrites the pod's mount paths (/tmp is one) wherever they appear in its environment.
    Path state =
        Path.of(
            System.getProperty("user.home"), ".lke", Long.toString(ProcessHandle.current().pid()));
    Files.createDirectories(state.getParent());
    cp = LocalControlPlane.builder().stateDir(state).build().start();
    k = cp.client();
    try (InputStream in = Files.newInputStream(LocalKube.CRD)) {
      CustomResourceDefinition crd =
          k.apiextensions().v1().customResourceDefinitions().load(in).item();
      k.resource(crd).fieldManager("e2e").forceConflicts().serverSideApply();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    ImageTable images =
        ImageTable.parse(
            String.join(
                "\n",
                "images:",
                "  dqlite-k8s/sidecar:",
                "    command: [${JAVA}, -XX:+UseSerialGC, -Xss512k, -XX:TieredStopAtLevel=1,"
                    + " -Xmx64m, -XX:+ExitOnOutOfMemoryError, -jar, ${JAR}]",
                ""),
            Map.of("JAVA", java, "JAR", SIDECAR_JAR.toAbsolutePath().normalize().toString()),
            "e2e image table");
    agent = NodeAgent.builder(k, cp.stateDir().resolve("agent"), images).build().start();
    k.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> k.serviceAccounts().inNamespace(ns).withName("default").get() != null);
    operator =
        DqliteOperator.startEmbedded(
            OperatorSettings.fromEnvironment(
                Map.of(
                    "LEADER_ELECTION_ENABLED",
                    "false",
                    "DQLITE_OPERATOR_HTTP_PORT",
                    "0",
                    "POD_NAME",
                    "e2e-operator")),
            new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(cp.config())
                .build());
  }

  @AfterAll
  static void down() {
    if (operator != null) {
      operator.close();
    }
    if (agent != null) {
      agent.close();
    }
    if (cp != null) {
      cp.close();
    }
  }

  Resource<DqliteCluster> db() {
    return k.resources(DqliteCluster.class).inNamespace(ns).withName("db");
  }

  @Test
  void bootstrapsGrowsToFiveShrinksBackToThreeAndRollsANewImage(TestInfo test) {
    DqliteCluster cr = new DqliteCluster();
    cr.setMetadata(new ObjectMetaBuilder().withName("db").withNamespace(ns).build());
    cr.setSpec(new DqliteClusterSpec());
    cr.setStatus(null);
    k.resource(cr).create();
    try {
      awaitSettled(3, 3, 0);
      DqliteClusterStatus three = db().get().getStatus();
      assertThat(three.getBootstrapped()).isTrue();
      assertThat(three.getMembers())
          .extracting(MemberStatus::getZone)
          .containsExactlyInAnyOrder("zone-a", "zone-b", "zone-c");

      db().scale(5);
      awaitSettled(5, 3, 2);
      Map<String, String> idsOfFive = ids(db().get().getStatus());

      db().scale(3);
      awaitSettled(3, 3, 0);
      DqliteClusterStatus after = db().get().getStatus();
      assertThat(after.getScaleDown()).isNull();
      assertThat(ids(after)).containsOnlyKeys("db-0", "db-1", "db-2");
      assertThat(ids(after).values()).doesNotContain(idsOfFive.get("db-3"), idsOfFive.get("db-4"));
      assertThat(
              k.apps().statefulSets().inNamespace(ns).withName("db").get().getSpec().getReplicas())
          .isEqualTo(3);
      List<String> notes =
          k.events().v1().events().inNamespace(ns).list().getItems().stream()
              .filter(e -> "db".equals(e.getRegarding().getName()))
              .map(e -> e.getReason() + ": " + e.getNote())
              .toList();
      log.info("events:\n{}", String.join("\n", notes));
      assertThat(notes)
          .anySatisfy(
              n ->
                  assertThat(n)
                      .startsWith("ScaleDown: removed member " + idsOfFive.get("db-4") + " (db-4)"))
          .anySatisfy(
              n ->
                  assertThat(n)
                      .startsWith("ScaleDown: removed member " + idsOfFive.get("db-3") + " (db-3)"))
          .anySatisfy(n -> assertThat(n).startsWith("ScaleDown: StatefulSet replicas 5 → 3"));

      // A new image rolls the pods one at a time (OnDelete; the operator deletes them), members
      // keep their ids (their volumes stay) and the cluster settles again.
      Map<String, String> idsBefore = ids(db().get().getStatus());
      db().edit(
              c -> {
                c.getSpec().setImage("dqlite-k8s/sidecar:0.1.1");
                return c;
              });
      await()
          .atMost(DEADLINE)
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () -> {
                StatefulSet sts = k.apps().statefulSets().inNamespace(ns).withName("db").get();
                String update = sts.getStatus().getUpdateRevision();
                assertThat(update).isNotBlank();
                assertThat(k.pods().inNamespace(ns).list().getItems())
                    .hasSize(3)
                    .allSatisfy(
                        p -> {
                          assertThat(p.getMetadata().getLabels())
                              .containsEntry("controller-revision-hash", update);
                          assertThat(p.getSpec().getContainers().get(0).getImage())
                              .isEqualTo("dqlite-k8s/sidecar:0.1.1");
                        });
              });
      awaitSettled(3, 3, 0);
      assertThat(ids(db().get().getStatus())).isEqualTo(idsBefore);
      List<String> restarts =
          k.events().v1().events().inNamespace(ns).list().getItems().stream()
              .filter(
                  e -> "RollingUpdate".equals(e.getReason()) && "DeletePod".equals(e.getAction()))
              .map(Event::getNote)
              .toList();
      assertThat(restarts).hasSize(3);
    } catch (AssertionError | RuntimeException e) {
      DqliteCluster last = db().get();
      log.error(
          "{} failed; status:\n{}\npods:\n{}",
          test.getDisplayName(),
          last == null ? "none" : Serialization.asYaml(last.getStatus()),
          k.pods().inNamespace(ns).list().getItems().stream()
              .map(
                  p ->
                      p.getMetadata().getName()
                          + " "
                          + p.getStatus().getPhase()
                          + " "
                          + p.getStatus().getContainerStatuses())
              .collect(Collectors.joining("\n")));
      throw e;
    }
  }

  private void awaitSettled(int pods, int voters, int standBys) {
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              DqliteCluster cr = db().get();
              DqliteClusterStatus s = cr.getStatus();
              assertThat(s).isNotNull();
              assertThat(s.getObservedGeneration()).isEqualTo(cr.getMetadata().getGeneration());
              assertThat(Conditions.find(s.getConditions(), ConditionTypes.READY))
                  .hasValueSatisfying(
                      c ->
                          assertThat(c.getStatus())
                              .as("Ready: %s", c.getMessage())
                              .isEqualTo("True"));
              assertThat(Conditions.isTrue(s.getConditions(), ConditionTypes.AVAILABLE)).isTrue();
              assertThat(Conditions.isTrue(s.getConditions(), ConditionTypes.PROGRESSING))
                  .isFalse();
              assertThat(s.getMembers()).hasSize(pods);
              assertThat(s.getMembers()).allSatisfy(m -> assertThat(m.getOnline()).isTrue());
              Map<String, Long> roles =
                  s.getMembers().stream()
                      .collect(Collectors.groupingBy(MemberStatus::getRole, Collectors.counting()));
              assertThat(roles.getOrDefault("voter", 0L)).isEqualTo(voters);
              assertThat(roles.getOrDefault("stand-by", 0L)).isEqualTo(standBys);
              StatefulSet sts = k.apps().statefulSets().inNamespace(ns).withName("db").get();
              assertThat(sts.getSpec().getReplicas()).isEqualTo(pods);
            });
  }

  private static Map<String, String> ids(DqliteClusterStatus status) {
    return status.getMembers().stream()
        .filter(m -> m.getPod() != null)
        .collect(Collectors.toMap(MemberStatus::getPod, MemberStatus::getId));
  }
}
