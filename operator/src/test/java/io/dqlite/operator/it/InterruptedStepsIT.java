package io.dqlite.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.operator.DqliteClusterReconciler;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.StatefulSetDependent;
import io.dqlite.operator.dependents.TlsRevision;
import io.dqlite.operator.kube.WorkloadActions;
import io.dqlite.operator.membership.RaftMember;
import io.dqlite.operator.plan.Decision;
import io.dqlite.operator.status.StatusWriter;
import io.dqlite.operator.testing.FakeCluster;
import io.dqlite.operator.testing.FakeServices;
import io.dqlite.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator killed in every gap between the steps of a rolling update, of a stale-member
 * replacement and of a TLS CA change, on a real API server and StatefulSet controller, then
 * replaced by a fresh instance with no memory. Each flow's acts (a handover, a pod eviction, a raft
 * Remove) are numbered; case (flow, k, BEFORE) kills the first instance just before act k (after
 * act k-1 and its status write), case (flow, k, AFTER) just after act k, before anything else (its
 * status write among them). The second instance must take exactly the acts the first did not (none
 * repeated, none skipped), the quorum of online voters must hold throughout, at most one pod
 * restarts at a time, no member is removed twice, none is left behind, and no scale-down record is
 * left in the status. A CA change's three Secret steps must each be taken once, in order.
 *
 * <p>No kubelet runs: a simulated one gives each new pod the running, ready status of its fixture
 * and starts its node in the simulated dqlite cluster; a pod deleted by the operator stops its
 * node. Pods are deleted directly (with the UID precondition): the PodDisruptionBudget on the
 * Eviction API is {@code EvictionIT}'s subject. The scale-down's gap (the record written, then the
 * Remove) is {@code CrashSafeStepsIT}'s. The gap inside a TLS step, between its two Secret writes,
 * is not reachable here (the rotator writes through the controller's client): {@code
 * TlsRotationTest} decides from what such a crash leaves.
 */
@ExtendWith(LocalKube.class)
class InterruptedStepsIT {

  private static final Logger log = LoggerFactory.getLogger(InterruptedStepsIT.class);

  /** The fixtures' namespace: the simulated members' addresses name it. */
  static final String NS = CrashSafeStepsIT.NS;

  static final Duration WAIT = Duration.ofSeconds(60);

  /** The acts of an uninterrupted rolling update of "v0* v1 v2": the leader last, handed over. */
  static final List<String> ROLL = List.of("evict 2", "evict 1", "handover 0x100", "evict 0");

  /** The acts of the replacement of voter 0x101, whose pod lost its volume (new node 0x201). */
  static final List<String> REPLACE = List.of("remove 0x101");

  /**
   * A CA change (the CA falls due) is AddAuthority, a rolling update onto the new trust,
   * SwitchNode, a rolling update onto the new node certificate, RetireAuthorities, a rolling update
   * onto the new CA alone: three rollouts of four acts each (three evictions and the leader's
   * handover). Within a rollout the order depends on timing: a TLS step follows as soon as every
   * pod was recreated (readiness does not matter, a started pod has read the files), so the pod
   * restarted last may still be starting, and an outdated pod that does not serve goes first.
   */
  static final int TLS_ROLLOUTS = 3;

  static final int ACTS_PER_ROLLOUT = 4;

  /**
   * The TLS cases kill the operator right after each Secret step (before its rollout's first act)
   * and right before each (after the previous rollout's last act); the gaps inside a rollout are
   * the roll cases'.
   */
  static final List<Integer> TLS_BEFORE = List.of(0, 4, 8);

  static final List<Integer> TLS_AFTER = List.of(3, 7);

  /** The TlsRotated Events of one CA change, in order, by what their notes say. */
  static final List<String> TLS_STEPS =
      List.of("the CA expires", "every pod trusts the new CA", "every pod presents the new CA");

  enum Kill {
    BEFORE,
    AFTER
  }

  final KubernetesClient client = LocalKube.admin();
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Operator> operators = new CopyOnWriteArrayList<>();
  final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor();
  final Set<Integer> restarting = ConcurrentHashMap.newKeySet();
  final AtomicInteger mostRestartingAtOnce = new AtomicInteger();
  final ShiftedClock clock = new ShiftedClock();

  static Stream<Arguments> gaps() {
    List<Arguments> cases = new ArrayList<>();
    for (String flow : List.of("roll", "replace")) {
      int acts = (flow.equals("roll") ? ROLL : REPLACE).size();
      for (int k = 0; k < acts; k++) {
        for (Kill kill : Kill.values()) {
          cases.add(Arguments.of(flow, k, kill));
        }
      }
    }
    TLS_BEFORE.forEach(k -> cases.add(Arguments.of("tls", k, Kill.BEFORE)));
    TLS_AFTER.forEach(k -> cases.add(Arguments.of("tls", k, Kill.AFTER)));
    return cases.stream();
  }

  @BeforeAll
  static void namespace() {
    KubernetesClient client = LocalKube.admin();
    // Another class may have used the namespace: it is deleted asynchronously.
    await().atMost(WAIT).until(() -> client.namespaces().withName(NS).get() == null);
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  @AfterAll
  static void deleteNamespace() {
    // ScaleDownIT makes it again without waiting.
    LocalKube.deleteNamespace(NS);
    await().atMost(WAIT).until(() -> LocalKube.admin().namespaces().withName(NS).get() == null);
  }

  /**
   * The cluster goes, and what it owns with it (the garbage collector), before the next case:
   * cheaper than a namespace per case (about 7 s each), which the fixtures' addresses rule out.
   */
  @AfterEach
  void stop() throws InterruptedException {
    long start = System.nanoTime();
    operators.forEach(Operator::stop);
    kubelet.shutdownNow();
    kubelet.awaitTermination(10, TimeUnit.SECONDS);
    client.resources(DqliteCluster.class).inNamespace(NS).withName("db").delete();
    await()
        .atMost(WAIT)
        .until(
            () ->
                current() == null
                    && client.apps().statefulSets().inNamespace(NS).list().getItems().isEmpty()
                    && client.pods().inNamespace(NS).list().getItems().isEmpty()
                    && client.secrets().inNamespace(NS).list().getItems().stream()
                        .noneMatch(x -> x.getMetadata().getName().startsWith("db")));
    log.info("cleaned up in {} ms", (System.nanoTime() - start) / 1_000_000);
  }

  @ParameterizedTest(name = "{0}: killed {2} act {1}")
  @MethodSource("gaps")
  void aRestartInAnyGapTakesEachRemainingStepOnce(String flow, int k, Kill kill) {
    boolean tls = flow.equals("tls");
    boolean roll = flow.equals("roll") || tls;
    List<String> acts = flow.equals("roll") ? ROLL : REPLACE;
    long start = System.nanoTime();
    FakeCluster dqlite = new FakeCluster("v0* v1 v2");
    if (!roll) {
      dqlite.newNode(1, 0x201);
    }
    DqliteCluster cr = Fixtures.cluster(spec -> spec.setReplicas(3));
    cr.getMetadata().setUid(null);
    cr.getMetadata().setGeneration(null);
    client.resource(cr).create();
    kubelet.scheduleWithFixedDelay(() -> startNewPods(dqlite), 0, 100, TimeUnit.MILLISECONDS);

    Gate first = new Gate(k, kill);
    start(dqlite, first);
    if (roll) {
      // Settled on one revision first.
      await()
          .atMost(WAIT)
          .until(
              () ->
                  current().getStatus() != null
                      && current().getStatus().getVoters() != null
                      && current().getStatus().getVoters() == 3
                      // and every pod Ready: the gate restarts a pod that is not ready first, so
                      // the acts' order is only fixed once all three are (CI saw 1 before 2).
                      && client.pods().inNamespace(NS).list().getItems().stream()
                              .filter(InterruptedStepsIT::ready)
                              .count()
                          == 3);
    }
    if (tls) {
      // The CA (10 years) falls due with a third of its life left; a pod's change wakes the
      // operator, which otherwise looks again in 30 s.
      clock.shift = Duration.ofDays(2500);
      client
          .pods()
          .inNamespace(NS)
          .withName("db-0")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}");
    } else if (roll) {
      // A new image: every pod is outdated.
      client
          .resources(DqliteCluster.class)
          .inNamespace(NS)
          .withName("db")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\":{\"image\":\"example.org/dqlite:next\"}}");
    }
    await().atMost(WAIT).untilTrue(first.dead);
    long killed = System.nanoTime();
    operators.remove(0).stop();
    int killedAfter = kill == Kill.BEFORE ? k : k + 1;
    if (tls) {
      assertThat(first.acts).as("the first instance's acts").hasSize(killedAfter);
      int stepsDone = kill == Kill.BEFORE ? k / ACTS_PER_ROLLOUT + 1 : (k + 1) / ACTS_PER_ROLLOUT;
      assertThat(rotations()).as("TLS steps taken when killed").hasSize(stepsDone);
    } else {
      assertThat(first.acts)
          .as("the first instance's acts")
          .containsExactlyElementsOf(acts.subList(0, killedAfter));
    }

    Gate second = new Gate(-1, kill);
    start(dqlite, second);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(dqlite.membership().members())
                  .extracting(RaftMember::hexId)
                  .containsExactlyInAnyOrder("0x100", roll ? "0x101" : "0x201", "0x102");
              assertThat(dqlite.membership().members())
                  .allMatch(m -> m.online() && "VOTER".equals(m.role().name()));
              if (roll) {
                assertThat(updated()).as("pods on the update revision").isEqualTo(3);
              }
              if (tls) {
                assertThat(rotations()).as("the CA change's steps").hasSize(TLS_STEPS.size());
                String bundle =
                    new String(
                        Base64.getDecoder()
                            .decode(
                                client
                                    .secrets()
                                    .inNamespace(NS)
                                    .withName("db-tls")
                                    .get()
                                    .getData()
                                    .get("ca.crt")),
                        StandardCharsets.US_ASCII);
                assertThat(bundle.split("BEGIN CERTIFICATE", -1)).as("one CA trusted").hasSize(2);
                // The last step's rollout, not the one before it: the template carries the Secret.
                assertThat(
                        StatefulSetDependent.tlsRevision(
                            client.apps().statefulSets().inNamespace(NS).withName("db").get()))
                    .contains(
                        TlsRevision.of(client.secrets().inNamespace(NS).withName("db-tls").get()));
              }
              DqliteCluster now = current();
              assertThat(now.getStatus().getVoters()).isEqualTo(3);
              assertThat(now.getStatus().getScaleDown()).isNull();
            });
    log.info(
        "{} killed {} act {}: killed after {} ms, converged {} ms later",
        flow,
        kill,
        k,
        (killed - start) / 1_000_000,
        (System.nanoTime() - killed) / 1_000_000);
    if (tls) {
      List<String> all = new ArrayList<>(first.acts);
      all.addAll(second.acts);
      assertThat(all).as("every act").hasSize(TLS_ROLLOUTS * ACTS_PER_ROLLOUT);
      for (int r = 0; r < TLS_ROLLOUTS; r++) {
        assertThat(all.subList(r * ACTS_PER_ROLLOUT, (r + 1) * ACTS_PER_ROLLOUT))
            .as("rollout " + r + " restarts each pod once and hands the leader over")
            .filteredOn(a -> a.startsWith("evict"))
            .containsExactlyInAnyOrder("evict 0", "evict 1", "evict 2");
      }
    } else {
      assertThat(second.acts)
          .as("the restarted instance takes each remaining act once")
          .containsExactlyElementsOf(acts.subList(killedAfter, acts.size()));
    }
    if (tls) {
      List<String> steps = rotations();
      for (int i = 0; i < TLS_STEPS.size(); i++) {
        assertThat(steps.get(i)).as("TLS step " + i + ", once").contains(TLS_STEPS.get(i));
      }
    }
    assertThat(dqlite.removeCalls.values()).as("no member removed twice").allMatch(n -> n == 1);
    assertThat(dqlite.quorumLosses).as("quorum never lost").isEmpty();
    assertThat(dqlite.minOnlineVoters()).isGreaterThanOrEqualTo(2);
    assertThat(mostRestartingAtOnce).as("one pod restarting at a time").hasValueLessThan(2);
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The kubelet's part: a new pod runs and is ready, and its node starts. */
  private void startNewPods(FakeCluster dqlite) {
    try {
      for (Pod pod : client.pods().inNamespace(NS).list().getItems()) {
        boolean started = pod.getStatus() != null && pod.getStatus().getPodIP() != null;
        if (started || pod.getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        int ordinal =
            ClusterNames.podOrdinal(Fixtures.cluster(), pod.getMetadata().getName()).orElseThrow();
        LocalKube.setPodStatus(NS, pod.getMetadata().getName(), Fixtures.pod(ordinal).getStatus());
        dqlite.started(ordinal);
        restarting.remove(ordinal);
      }
    } catch (RuntimeException e) {
      // The namespace goes at the end of each case; the next tick looks again.
    }
  }

  private List<String> rotations() {
    return events.stream().filter(e -> e.startsWith("TlsRotated")).toList();
  }

  /** The system clock moved on by {@link #shift}. */
  static final class ShiftedClock extends Clock {
    volatile Duration shift = Duration.ZERO;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(shift);
    }
  }

  private int updated() {
    StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName("db").get();
    boolean seen =
        sts.getStatus() != null
            && Objects.equals(
                sts.getStatus().getObservedGeneration(), sts.getMetadata().getGeneration());
    String revision = seen ? sts.getStatus().getUpdateRevision() : null;
    return (int)
        client.pods().inNamespace(NS).list().getItems().stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
            .filter(
                p ->
                    revision != null
                        && revision.equals(
                            p.getMetadata().getLabels().get(Decision.REVISION_LABEL)))
            .count();
  }

  /**
   * One operator instance's life: its acts in order; it dies before or after act {@code killAt}
   * (-1: never), and a dead instance's every act and status write fails, as if it were gone.
   */
  static final class Gate implements FakeCluster.Acts {
    final int killAt;
    final Kill kill;
    final List<String> acts = new CopyOnWriteArrayList<>();
    final AtomicBoolean dead = new AtomicBoolean();

    /** The instance's own API client: closed when it dies, so that nothing more is written. */
    volatile KubernetesClient api;

    Gate(int killAt, Kill kill) {
      this.killAt = killAt;
      this.kill = kill;
    }

    /** Before an act: false when this instance is (now) dead and must not act. */
    @Override
    public synchronized boolean mayAct() {
      if (dead.get()) {
        return false;
      }
      if (acts.size() == killAt && kill == Kill.BEFORE) {
        die();
        return false;
      }
      return true;
    }

    @Override
    public synchronized void acted(String act) {
      acts.add(act);
      if (acts.size() == killAt + 1 && kill == Kill.AFTER) {
        die();
      }
    }

    private void die() {
      dead.set(true);
      api.close();
    }
  }

  private void start(FakeCluster dqlite, Gate gate) {
    gate.api = new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    dqlite.acts = gate;
    WorkloadActions pods =
        new WorkloadActions() {
          @Override
          public Eviction evictPod(DqliteCluster c, int ordinal, String uid) {
            if (!gate.mayAct()) {
              throw new KubernetesClientException("injected: the operator is gone");
            }
            String name = ClusterNames.podName(c, ordinal);
            Pod pod = client.pods().inNamespace(NS).withName(name).get();
            if (pod == null) {
              return Eviction.GONE;
            }
            if (!uid.equals(pod.getMetadata().getUid())) {
              return Eviction.STALE;
            }
            restarting.add(ordinal);
            mostRestartingAtOnce.accumulateAndGet(restarting.size(), Math::max);
            dqlite.stopped(ordinal);
            gate.api.pods().inNamespace(NS).withName(name).delete();
            gate.acted("evict " + ordinal);
            return Eviction.EVICTED;
          }

          @Override
          public void deleteClaim(DqliteCluster c, int ordinal) {
            throw new AssertionError("no claim is deleted in these flows");
          }
        };
    StatusWriter writer =
        (c, manager, patch) -> {
          if (gate.dead.get()) {
            throw new KubernetesClientException("injected: the operator is gone");
          }
          return StatusWriter.serverSideApply().write(c, manager, patch);
        };
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(gate.api)
                    // Killed, not shut down: stop() would wait 10 s for the reconciliation threads.
                    .withReconciliationTerminationTimeout(Duration.ofMillis(500))
                    .withDefaultNonSSAResource(Set.of()));
    operator.register(
        new DqliteClusterReconciler(
            FakeServices.of(dqlite, dqlite, dqlite, pods, events, clock), writer));
    operator.start();
    operators.add(operator);
  }

  private DqliteCluster current() {
    return client.resources(DqliteCluster.class).inNamespace(NS).withName("db").get();
  }
}
