package io.dqlite.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.model.DqliteException;
import io.dqlite.operator.DqliteClusterReconciler;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.ScaleDownStatus;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.DesiredStatefulSet;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.membership.RaftProtocol;
import io.dqlite.operator.plan.MemberIds;
import io.dqlite.operator.status.StatusWriter;
import io.dqlite.operator.testing.FakeCluster;
import io.dqlite.operator.testing.FakeServices;
import io.dqlite.operator.testing.FakeWorkloads;
import io.dqlite.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A raft removal against a real API server, with the status write failing and the operator killed
 * between recording the intent and acting on it: the Remove never runs before the API server holds
 * the scale-down record, it runs exactly once across the restart (the new instance starts with no
 * memory and resumes from the server's record), and no member is left behind.
 */
@ExtendWith(LocalKube.class)
class CrashSafeStepsIT {

  /** The fixtures' namespace: the simulated members' addresses name it. */
  static final String NS = "shop";

  static final Duration WAIT = Duration.ofSeconds(90);

  final KubernetesClient client = LocalKube.admin();
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Operator> operators = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    operators.forEach(Operator::stop);
    LocalKube.deleteNamespace(NS);
    // ScaleDownIT uses the same namespace (the fixtures' addresses name it) and creates it.
    await().atMost(WAIT).until(() -> client.namespaces().withName(NS).get() == null);
  }

  @Test
  void theRemoveWaitsForTheRecordOnTheServerAndRunsOnceAcrossARestart() {
    // Another class may have used the namespace: it is deleted asynchronously.
    await().atMost(WAIT).until(() -> client.namespaces().withName(NS).get() == null);
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    // Four pods, four members; pod 3 a stand-by (removed without a drain). The spec asks for 3.
    DqliteCluster cr = Fixtures.cluster(spec -> spec.setReplicas(3));
    cr.getMetadata().setUid(null);
    cr.getMetadata().setGeneration(null);
    DqliteCluster created = client.resource(cr).create();
    StatefulSet four =
        DesiredStatefulSet.build(Fixtures.cluster(spec -> spec.setReplicas(4)), 4, Fixtures.DOMAIN);
    four.addOwnerReference(created);
    client.resource(four).create();
    FakeCluster dqlite = new FakeCluster("v0* v1 v2 s3");

    // The first instance: its first two status writes carrying the record fail, and it dies
    // when it reaches the Remove.
    AtomicInteger refusedWrites = new AtomicInteger();
    StatusWriter failing =
        (c, manager, patch) -> {
          ScaleDownStatus record = patch.getStatus().getScaleDown();
          if (record != null && refusedWrites.get() < 2) {
            refusedWrites.incrementAndGet();
            throw new KubernetesClientException("injected: the status patch is refused");
          }
          return StatusWriter.serverSideApply().write(c, manager, patch);
        };
    GuardedRaft first = new GuardedRaft(dqlite, true);
    start(dqlite, first, failing);
    makePodsReady(4);

    await().atMost(WAIT).untilTrue(first.killed);
    operators.remove(0).stop();
    assertThat(first.violations).as("no Remove before the record was on the server").isEmpty();
    assertThat(refusedWrites).as("the record's first two writes failed").hasValue(2);
    assertThat(dqlite.log).as("killed before the Remove").isEmpty();
    assertThat(recordedIds()).containsExactly("0x103");

    // A new instance, no memory: it resumes from the server's record.
    GuardedRaft second = new GuardedRaft(dqlite, false);
    start(dqlite, second, StatusWriter.serverSideApply());
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(statefulSet().getSpec().getReplicas()).isEqualTo(3));
    assertThat(dqlite.log).containsExactly("remove 0x103");
    assertThat(second.violations).as("every Remove found its record on the server").isEmpty();
    assertThat(dqlite.membership().members())
        .extracting(m -> MemberIds.hex(m.id()))
        .containsExactlyInAnyOrder("0x100", "0x101", "0x102");
    // The record goes once the pod and its claim are gone (the controller-manager deletes both).
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(client.pods().inNamespace(NS).withName("db-3").get()).isNull();
              assertThat(
                      client
                          .persistentVolumeClaims()
                          .inNamespace(NS)
                          .withName(ClusterNames.dataClaim(cr, 3))
                          .get())
                  .isNull();
              assertThat(current().getStatus().getScaleDown()).isNull();
            });
    assertThat(dqlite.log).as("never twice").containsExactly("remove 0x103");
  }

  /**
   * The simulated cluster's Remove, checking first that the API server holds the record naming the
   * id; {@code dieFirst}: the first Remove kills this instance instead (it and every later call
   * throw), as an operator killed between recording and acting.
   */
  final class GuardedRaft implements RaftProtocol {
    final FakeCluster dqlite;
    final boolean dieFirst;
    final AtomicBoolean killed = new AtomicBoolean();
    final List<String> violations = new CopyOnWriteArrayList<>();

    GuardedRaft(FakeCluster dqlite, boolean dieFirst) {
      this.dqlite = dqlite;
      this.dieFirst = dieFirst;
    }

    @Override
    public Membership read(DqliteCluster cr, Map<String, String> dialAddresses) {
      return dqlite.read(cr, dialAddresses);
    }

    @Override
    public void remove(DqliteCluster cr, String leaderDialAddress, long id) throws DqliteException {
      if (!recordedIds().contains(MemberIds.hex(id))) {
        violations.add("remove " + MemberIds.hex(id) + " before the record was on the server");
      }
      if (dieFirst) {
        killed.set(true);
        throw new IllegalStateException("injected: the operator is killed before the Remove");
      }
      dqlite.remove(cr, leaderDialAddress, id);
    }
  }

  private List<String> recordedIds() {
    DqliteCluster cr = current();
    if (cr == null || cr.getStatus() == null || cr.getStatus().getScaleDown() == null) {
      return List.of();
    }
    return cr.getStatus().getScaleDown().getRemovals().stream()
        .map(ScaleDownStatus.Removal::getId)
        .toList();
  }

  /** No node agent runs: each pod is given the running, ready status of its fixture. */
  private void makePodsReady(int count) {
    await()
        .atMost(WAIT)
        .until(() -> client.pods().inNamespace(NS).list().getItems().size() == count);
    for (int i = 0; i < count; i++) {
      Pod fixture = Fixtures.pod(i);
      LocalKube.setPodStatus(NS, fixture.getMetadata().getName(), fixture.getStatus());
    }
  }

  private void start(FakeCluster dqlite, RaftProtocol raft, StatusWriter writer) {
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withDefaultNonSSAResource(Set.of()));
    operator.register(
        new DqliteClusterReconciler(
            FakeServices.of(dqlite, raft, new FakeWorkloads(), events), writer));
    operator.start();
    operators.add(operator);
  }

  private StatefulSet statefulSet() {
    return client.apps().statefulSets().inNamespace(NS).withName("db").get();
  }

  private DqliteCluster current() {
    return client.resources(DqliteCluster.class).inNamespace(NS).withName("db").get();
  }
}
