package io.dqlite.e2e.support;

import io.dqlite.operator.crd.ConditionTypes;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.MemberStatus;
import io.dqlite.operator.dependents.ClusterNames;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** DqliteClusters as a user sees them: create from YAML, wait for Ready, their pods and status. */
public final class DqliteClusters {

  private DqliteClusters() {}

  /** Creates the DqliteCluster written in {@code yaml} in {@code namespace}. */
  public static DqliteCluster create(KubernetesClient client, String namespace, String yaml) {
    DqliteCluster cr = client.getKubernetesSerialization().unmarshal(yaml, DqliteCluster.class);
    return client.resources(DqliteCluster.class).inNamespace(namespace).resource(cr).create();
  }

  public static Resource<DqliteCluster> resource(KubernetesClient client, String ns, String name) {
    return client.resources(DqliteCluster.class).inNamespace(ns).withName(name);
  }

  /**
   * Changes the spec with a JSON merge patch, as {@code kubectl patch --type merge} does: no
   * resourceVersion, so the operator's concurrent status updates cause no conflict.
   */
  public static DqliteCluster patch(
      KubernetesClient client, String ns, String name, String mergePatch) {
    return resource(client, ns, name).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  public static DqliteCluster get(KubernetesClient client, String namespace, String name) {
    return resource(client, namespace, name).get();
  }

  /**
   * Waits until the cluster's Ready condition is True for its current generation, printing a line
   * whenever the picture changes; returns how long it took.
   */
  public static Duration awaitReady(
      KubernetesClient client, String ns, String name, Duration atMost) {
    return awaitStatus(
        client, ns, name, atMost, "Ready for its generation", DqliteClusters::readyForGeneration);
  }

  /** Waits until {@code done} holds for the cluster, printing progress; returns the time taken. */
  public static Duration awaitStatus(
      KubernetesClient client,
      String ns,
      String name,
      Duration atMost,
      String what,
      Predicate<DqliteCluster> done) {
    long start = System.nanoTime();
    AtomicReference<String> last = new AtomicReference<>("");
    Awaitility.await(ns + "/" + name + ": " + what)
        .atMost(atMost)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              DqliteCluster cr = get(client, ns, name);
              if (cr == null) {
                return false;
              }
              List<Pod> pods = pods(client, ns, name);
              String key = summary(cr, pods, false);
              if (!key.equals(last.getAndSet(key))) {
                System.out.printf(
                    "E2E [%s/%s +%ds] %s%n",
                    ns,
                    name,
                    Duration.ofNanos(System.nanoTime() - start).toSeconds(),
                    summary(cr, pods, true));
              }
              return done.test(cr);
            });
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Members as many as voters + stand-bys, every one online, with those roles. */
  public static boolean hasRoles(DqliteCluster cr, int voters, int standBys) {
    List<MemberStatus> members = cr.getStatus().getMembers();
    return members != null
        && members.size() == voters + standBys
        && members.stream().filter(m -> "voter".equals(m.getRole())).count() == voters
        && members.stream().filter(m -> "stand-by".equals(m.getRole())).count() == standBys
        && members.stream().allMatch(m -> Boolean.TRUE.equals(m.getOnline()));
  }

  /** Ready=True, and the status (and the condition, when it says) describes this generation. */
  public static boolean readyForGeneration(DqliteCluster cr) {
    Long generation = cr.getMetadata().getGeneration();
    if (cr.getStatus() == null
        || !Objects.equals(cr.getStatus().getObservedGeneration(), generation)) {
      return false;
    }
    return condition(cr, ConditionTypes.READY)
        .filter(c -> "True".equals(c.getStatus()))
        .filter(
            c ->
                c.getObservedGeneration() == null
                    || Objects.equals(c.getObservedGeneration(), generation))
        .isPresent();
  }

  public static Optional<Condition> condition(DqliteCluster cr, String type) {
    if (cr.getStatus() == null || cr.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return cr.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  /** The cluster's pods (by the operator's selector labels), by ordinal. */
  public static List<Pod> pods(KubernetesClient client, String ns, String name) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel(ClusterNames.INSTANCE_LABEL, name)
        .withLabel(ClusterNames.NAME_LABEL, ClusterNames.APP_NAME)
        .list()
        .getItems()
        .stream()
        .sorted(Comparator.comparingInt(p -> ordinal(p.getMetadata().getName())))
        .toList();
  }

  /** The ordinal of a StatefulSet pod name {@code <name>-<n>}. */
  public static int ordinal(String podName) {
    return Integer.parseInt(podName.substring(podName.lastIndexOf('-') + 1));
  }

  public static boolean podReady(Pod pod) {
    if (pod.getStatus() == null
        || pod.getStatus().getConditions() == null
        || pod.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /**
   * One line: pods ready, members and roles, leader, conditions; {@code withMessages} adds the
   * conditions' messages (which may change on every look, e.g. the order of unreachable pods).
   */
  static String summary(DqliteCluster cr, List<Pod> pods, boolean withMessages) {
    StringBuilder s = new StringBuilder();
    s.append("pods ")
        .append(pods.stream().filter(DqliteClusters::podReady).count())
        .append('/')
        .append(pods.size())
        .append(" ready");
    if (cr.getStatus() == null) {
      return s.append("; no status").toString();
    }
    List<MemberStatus> members = cr.getStatus().getMembers();
    s.append("; members [");
    if (members != null) {
      s.append(
          String.join(
              ", ",
              members.stream()
                  .map(
                      m ->
                          (m.getPod() == null ? m.getAddress() : m.getPod())
                              + ":"
                              + m.getRole()
                              + (Boolean.FALSE.equals(m.getOnline()) ? "(offline)" : ""))
                  .toList()));
    }
    s.append("]; leader ").append(cr.getStatus().getLeader());
    s.append("; observedGeneration ")
        .append(cr.getStatus().getObservedGeneration())
        .append('/')
        .append(cr.getMetadata().getGeneration());
    if (cr.getStatus().getConditions() != null) {
      for (Condition c : cr.getStatus().getConditions()) {
        s.append("; ").append(c.getType()).append('=').append(c.getStatus());
        if (c.getReason() != null) {
          s.append(" (").append(c.getReason());
          if (withMessages && c.getMessage() != null && !c.getMessage().isBlank()) {
            s.append(": ").append(c.getMessage());
          }
          s.append(')');
        }
      }
    }
    return s.toString();
  }
}
