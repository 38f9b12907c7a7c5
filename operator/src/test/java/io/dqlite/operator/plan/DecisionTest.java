package io.dqlite.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.crd.RetentionPolicy;
import io.dqlite.operator.crd.ScaleDownStatus;
import io.dqlite.operator.membership.MemberMapping;
import io.dqlite.operator.testing.Fixtures;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One reconciliation's decision. Pods: {@code 0 1b 2b!}: ordinal, revision letter (default a),
 * {@code !} not ready, {@code ~} pending (its containers do not run). The StatefulSet's update
 * revision is {@code db-rev-<letter>}.
 */
class DecisionTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                     | want | sts | update | pods          | members          | stored     | record | step     | roll
          steady                                     | 3    | 3   | a      | 0 1 2         | v0* v1 v2        |            | false  | done     | done
          a drain is recorded first                  | 3    | 4   | a      | 0 1 2 3       | v0 v1 v2 v3*     |            | true   | drain 3  | none
          then taken                                 | 3    | 4   | a      | 0 1 2 3       | v0 v1 v2 v3*     | 3:0x103    | false  | drain 3  | none
          a removal too                              | 3    | 4   | a      | 0 1 2 3       | v0* v1 v2 s3     |            | true   | remove 3 | none
          shrinking needs no new record              | 3    | 4   | a      | 0 1 2 3       | v0* v1 v2        | 3:0x103    | false  | shrink 3 | none
          growing neither                            | 5    | 3   | a      | 0 1 2         | v0* v1 v2        |            | false  | grow 5   | none
          outdated pod restarts                      | 3    | 3   | b      | 0 1 2         | v0* v1 v2        |            | false  | done     | restart 2
          the leader last                            | 3    | 3   | b      | 0 1b 2b       | v0* v1 v2        |            | false  | done     | restart 0
          one at a time                              | 3    | 3   | b      | 0 1 2b!       | v0* v1 v2        |            | false  | done     | wait
          no rolling while a scale step is pending   | 3    | 4   | b      | 0 1 2 3       | v0* v1 v2 s3     | 3:0x103    | false  | remove 3 | none
          no leader, pods ready: no blind restart    | 3    | 4   | b      | 0 1 2 3       | v0 v1 v2 s3      |            | false  | wait     | wait
          no leader, no pod ready: still no restart  | 3    | 3   | b      | 0! 1! 2!      | v0 v1 v2         |            | false  | done     | wait
          no leader, pods not running: replace them  | 3    | 3   | b      | 0!~ 1!~ 2!~   | v0 v1 v2         |            | false  | done     | restart 2
          pods above the StatefulSet's count ignored | 3    | 3   | a      | 0 1 2 3b      | v0* v1 v2        |            | false  | done     | done
          a pod being recreated is restarting        | 3    | 3   | b      | 0 2           | v0* p1! v2       |            | false  | done     | wait
          nothing outdated left: done                | 3    | 3   | b      | 0b 2b         | v0* p1! v2       |            | false  | done     | done
          """)
  void decide(
      String description,
      int want,
      int stsReplicas,
      String update,
      String pods,
      String members,
      String stored,
      boolean record,
      String step,
      String roll) {
    DqliteCluster cr = Fixtures.cluster(spec -> spec.setReplicas(want));
    DqliteClusterStatus status = new DqliteClusterStatus();
    status.setBootstrapped(true);
    status.setScaleDown(Notation.bookkeeping(want, stored));
    cr.setStatus(status);
    StatefulSet sts =
        new StatefulSetBuilder()
            .withNewSpec()
            .withReplicas(stsReplicas)
            .endSpec()
            .withNewStatus()
            .withUpdateRevision("db-rev-" + update)
            .endStatus()
            .build();
    Decision d =
        Decision.decide(
            cr,
            Optional.of(sts),
            pods(pods),
            MemberMapping.planMembers(cr, Fixtures.membership(members), Fixtures.DOMAIN));
    assertThat(d.recordFirst()).isEqualTo(record);
    assertThat(Notation.step(d.plan().next())).isEqualTo(step);
    assertThat(d.roll().map(Notation::decision).orElse("none")).isEqualTo(roll);
  }

  /**
   * Stale entries {@code 1>0x201}: pod 1 runs node 0x201 while the member at its address is 0x10x.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                       | want | sts | update | members          | stored  | stale   | record | step      | roll
          a stale follower is replaced                 | 3    | 3   | a      | v0* v1! v2       |         | 1>0x201 | false  | replace 1 | none
          before a pending scale-down's removal        | 3    | 4   | a      | v0* v1! v2 v3    | 3:0x103 | 1>0x201 | false  | replace 1 | none
          before a rolling restart                     | 3    | 3   | b      | v0* v1! v2       |         | 1>0x201 | false  | replace 1 | none
          unsafe: its wait shows, the gate still runs  | 3    | 3   | a      | v0* v1! v2!      |         | 1>0x201 | false  | wait      | done
          unsafe, a scale step to take: that step      | 5    | 3   | a      | v0* v1! v2!      |         | 1>0x201 | false  | grow 5    | none
          no leader: nothing is replaced               | 3    | 3   | a      | v0 v1! v2        |         | 1>0x201 | false  | done      | wait
          """)
  void replacementComesFirst(
      String description,
      int want,
      int stsReplicas,
      String update,
      String members,
      String stored,
      String stale,
      boolean record,
      String step,
      String roll) {
    DqliteCluster cr = Fixtures.cluster(spec -> spec.setReplicas(want));
    DqliteClusterStatus status = new DqliteClusterStatus();
    status.setBootstrapped(true);
    status.setScaleDown(Notation.bookkeeping(want, stored));
    cr.setStatus(status);
    StatefulSet sts =
        new StatefulSetBuilder()
            .withNewSpec()
            .withReplicas(stsReplicas)
            .endSpec()
            .withNewStatus()
            .withUpdateRevision("db-rev-" + update)
            .endStatus()
            .build();
    String[] s = stale.split(">");
    int ordinal = Integer.parseInt(s[0]);
    Decision d =
        Decision.decide(
            cr,
            Optional.of(sts),
            pods(
                java.util.stream.IntStream.range(0, stsReplicas)
                    .mapToObj(Integer::toString)
                    .collect(java.util.stream.Collectors.joining(" "))),
            MemberMapping.planMembers(cr, Fixtures.membership(members), Fixtures.DOMAIN),
            List.of(new Replacement.Stale(ordinal, 0x100 + ordinal, MemberIds.parse(s[1]))),
            status.getScaleDown(),
            Set.of());
    assertThat(d.recordFirst()).isEqualTo(record);
    assertThat(Notation.step(d.plan().next())).isEqualTo(step);
    assertThat(d.roll().map(Notation::decision).orElse("none")).isEqualTo(roll);
  }

  /**
   * A raft-changing step acts only on the record the API server confirmed; what this operator
   * remembers writing (after a failed write) is not enough.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                        | members      | remembered | confirmed  | record | step
          nothing recorded anywhere: record first       | v0* v1 v2 s3 |            |            | true   | remove 3
          written, confirmed: remove                    | v0* v1 v2 s3 | 3:0x103    | 3:0x103    | false  | remove 3
          written, the write failed: record again       | v0* v1 v2 s3 | 3:0x103    |            | true   | remove 3
          confirmed, memory lost (restart): remove      | v0* v1 v2 s3 |            | 3:0x103    | false  | remove 3
          a drain likewise                              | v0 v1 v2 v3* | 3:0x103    |            | true   | drain 3
          shrinking acts on no unconfirmed intent       | v0* v1 v2    | 3:0x103    |            | false  | shrink 3
          """)
  void raftStepsWaitForTheConfirmedRecord(
      String description,
      String members,
      String remembered,
      String confirmed,
      boolean record,
      String step) {
    DqliteCluster cr = Fixtures.cluster(spec -> spec.setReplicas(3));
    DqliteClusterStatus status = new DqliteClusterStatus();
    status.setBootstrapped(true);
    status.setScaleDown(Notation.bookkeeping(3, remembered));
    cr.setStatus(status);
    StatefulSet sts = new StatefulSetBuilder().withNewSpec().withReplicas(4).endSpec().build();
    Decision d =
        Decision.decide(
            cr,
            Optional.of(sts),
            pods("0 1 2 3"),
            MemberMapping.planMembers(cr, Fixtures.membership(members), Fixtures.DOMAIN),
            List.of(),
            Notation.bookkeeping(3, confirmed),
            Set.of());
    assertThat(d.recordFirst()).isEqualTo(record);
    assertThat(Notation.step(d.plan().next())).isEqualTo(step);
  }

  @ParameterizedTest
  @CsvSource({"RETAIN, true", "DELETE, false"})
  void retentionFeedsThePlanner(RetentionPolicy policy, boolean retained) {
    DqliteCluster cr =
        Fixtures.cluster(spec -> spec.getStorage().getRetention().setWhenScaled(policy));
    assertThat(Decision.retainedWhenScaled(cr)).isEqualTo(retained);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "|| true",
        "4:0x104 || false",
        "4:0x104 | 4:0x104 | true",
        "4:0x104 | 4:0x104+r | false",
      })
  void bookkeepingComparison(String a, String b, boolean same) {
    ScaleDownStatus x = Notation.bookkeeping(3, a);
    ScaleDownStatus y = Notation.bookkeeping(3, b);
    assertThat(Decision.same(x, y)).isEqualTo(same);
    assertThat(Decision.same(x, y == null ? new ScaleDownStatus(3, List.of()) : y)).isEqualTo(same);
  }

  private static List<Pod> pods(String text) {
    List<Pod> pods = new ArrayList<>();
    for (String token : text.trim().split("\\s+")) {
      var m = java.util.regex.Pattern.compile("(\\d+)([a-z])?(!)?(~)?").matcher(token);
      if (!m.matches()) {
        throw new IllegalArgumentException(token);
      }
      int ordinal = Integer.parseInt(m.group(1));
      String revision = "db-rev-" + (m.group(2) == null ? "a" : m.group(2));
      Pod pod =
          new PodBuilder(Fixtures.pod(ordinal, m.group(3) == null))
              .editMetadata()
              .addToLabels(Decision.REVISION_LABEL, revision)
              .endMetadata()
              .build();
      if (m.group(4) != null) {
        pod.getStatus().setPhase("Pending"); // "~": its containers do not run
      }
      pods.add(pod);
    }
    return pods;
  }
}
