package io.dqlite.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.plan.RollDecision;
import io.dqlite.operator.plan.ScaleStep;
import io.dqlite.operator.testing.Fixtures;
import io.dqlite.operator.testing.Observations;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Degraded reasons, scenario by scenario; notation in {@link Observations}. */
class DegradedCheckTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                  | boot  | pods                          | members      | nodes   | minutes | failure      | reasons
          healthy                                 | true  | 0 1 2                         | v0* v1 v2    | 3z      | 5       |              |
          image cannot be pulled                  | true  | 0 1 2:ImagePullBackOff        | v0* v1 v2!   | 3z      | 5       |              | ImagePullFailed MembersOffline
          bad image name                          | false | 0:InvalidImageName            |              | 3z      | 5       |              | ImagePullFailed
          crash loop                              | true  | 0 1:CrashLoopBackOff 2        | v0* v1! v2   | 3z      | 5       |              | ContainersFailing MembersOffline
          missing config                          | false | 0:CreateContainerConfigError  |              | 3z      | 5       |              | ContainersFailing
          no node for a pod                       | true  | 0 1 2:Unschedulable           | v0* v1       | 3z      | 5       |              | PodsUnschedulable
          fewer nodes than voters                 | true  | 0 1 2                         | v0* v1 v2    | 2z      | 5       |              | TooFewNodes
          cordoned nodes do not count             | true  | 0 1 2                         | v0* v1 v2    | 2z+1zx  | 5       |              | TooFewNodes
          no node has the zone label              | true  | 0 1 2                         | v0* v1 v2    | 3       | 5       |              | ZoneLabelMissing
          no nodes at all                         | false | 0! 1! 2!                      |              | 0       | 5       |              | TooFewNodes
          nodes unknown: no node checks           | true  | 0 1 2                         | v0* v1 v2    | ?       | 5       |              |
          bootstrapped but no leader              | true  | 0 1 2                         |              | 3z      | 5       |              | NoLeader
          no leader before bootstrap is expected  | false | 0! 1! 2!                      |              | 3z      | 5       |              |
          members offline                         | true  | 0 1 2                         | v0* v1 s2!   | 3z      | 5       |              | MembersOffline
          not ready within the deadline is fine   | true  | 0 1 2!                        | v0* v1 v2    | 3z      | 9       |              |
          not ready past the deadline             | true  | 0 1 2!                        | v0* v1 v2    | 3z      | 11      |              | PodsNotReady
          terminating pods are ignored            | true  | 0 1 2 3:CrashLoopBackOff~     | v0* v1 v2    | 3z      | 5       |              |
          a failed step                           | true  | 0 1 2                         | v0* v1 v2    | 3z      | 5       | remove: boom | StepFailed
          """)
  void reasons(
      String description,
      boolean bootstrapped,
      String pods,
      String members,
      String nodes,
      int minutes,
      String failure,
      String expected) {
    DqliteCluster cr = Fixtures.cluster();
    if (bootstrapped) {
      Observations.bootstrapped(cr);
    }
    // Pods became not ready at 10:00:10.
    Instant now = Instant.parse("2026-11-25T10:00:10Z").plus(Duration.ofMinutes(minutes));
    Observation o =
        Observations.of(
            cr,
            pods,
            members,
            nodes,
            new ScaleStep.Done(),
            Optional.of(new RollDecision.Done()),
            Optional.ofNullable(failure),
            now);
    List<String> reasons =
        DegradedCheck.issues(o, DegradedCheck.NOT_READY_DEADLINE).stream()
            .map(DegradedCheck.Issue::reason)
            .toList();
    assertThat(reasons)
        .containsExactlyElementsOf(
            expected == null ? List.of() : Arrays.asList(expected.split(" ")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case           | pods                    | members   | nodes | message contains
          pull failure     | 0 1:ImagePullBackOff    | v0* v1!   | 3z    | db-1 (dqlite: ImagePullBackOff details of ImagePullBackOff)
          unschedulable    | 0 1:Unschedulable       | v0*       | 3z    | no node for db-1 (0/3 nodes are available: 3 Insufficient memory.)
          offline member   | 0 1                     | v0* s1!   | 3z    | 0x101 at db-1.db-headless.shop.svc.cluster.local:9001 (stand-by)
          too few nodes    | 0 1 2                   | v0* v1 v2 | 1z    | 1 schedulable node(s) for 3 voters
          no zone label    | 0 1 2                   | v0* v1 v2 | 3     | no schedulable node has the label topology.kubernetes.io/zone
          """)
  void messagesNameWhatAndWhere(
      String description, String pods, String members, String nodes, String fragment) {
    Observation o =
        Observations.steady(Observations.bootstrapped(Fixtures.cluster()), pods, members, nodes);
    assertThat(DegradedCheck.issues(o, DegradedCheck.NOT_READY_DEADLINE))
        .anySatisfy(i -> assertThat(i.message()).contains(fragment));
  }

  /**
   * A crash-looping sidecar's last exit is in the condition's message: the last line of its
   * termination message (the log's tail, FallbackToLogsOnError), e.g. an engine option its
   * libdqlite lacks. Columns: the termination message ("\\n" separates lines; empty: none), exit
   * code, what the pod's part of the message ends with.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          engine option missing | 12:00:01 INFO starting\\n12:00:02 ERROR cannot start: start the dqlite node: disk mode is not supported by libdqlite 1.10.0 (/usr/lib/libdqlite.so.0), which exports no dqlite_node_enable_disk_mode\\n | 1 | ; last exit 1: 12:00:02 ERROR cannot start: start the dqlite node: disk mode is not supported by libdqlite 1.10.0 (/usr/lib/libdqlite.so.0), which exports no dqlite_node_enable_disk_mode)
          no message            |                                                                       | 137 | ; last exit 137)
          """)
  void aCrashLoopNamesWhyTheContainerLastExited(
      String description, String terminationMessage, int exitCode, String ending) {
    DqliteCluster cr = Fixtures.cluster();
    Observations.bootstrapped(cr);
    Observation o = Observations.steady(cr, "0 1:CrashLoopBackOff 2", "v0* v1! v2", "3z");
    List<io.fabric8.kubernetes.api.model.Pod> pods = new java.util.ArrayList<>(o.pods());
    io.fabric8.kubernetes.api.model.Pod looping =
        new io.fabric8.kubernetes.api.model.PodBuilder(pods.get(1))
            .editStatus()
            .editFirstContainerStatus()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(exitCode)
            .withReason("Error")
            .withMessage(
                terminationMessage == null ? null : terminationMessage.replace("\\n", "\n"))
            .endTerminated()
            .endLastState()
            .endContainerStatus()
            .endStatus()
            .build();
    pods.set(1, looping);
    Observation withExit =
        new Observation(
            o.cr(),
            o.statefulSet(),
            pods,
            o.membership(),
            o.nodes(),
            o.scaleStep(),
            o.scaleBookkeeping(),
            o.roll(),
            o.failure(),
            o.tlsProblem(),
            o.clusterDomain(),
            o.now());
    assertThat(DegradedCheck.issues(withExit, DegradedCheck.NOT_READY_DEADLINE))
        .filteredOn(i -> i.reason().equals("ContainersFailing"))
        .singleElement()
        .satisfies(
            i ->
                assertThat(i.message())
                    .startsWith("containers failing: db-1 (dqlite: CrashLoopBackOff details of")
                    .endsWith(ending));
  }

  /** A user's TLS Secret missing or incomplete: the cause of what the pods show, so first. */
  @org.junit.jupiter.api.Test
  void aTlsSecretProblemComesFirst() {
    DqliteCluster cr = Fixtures.cluster();
    Observations.bootstrapped(cr);
    Observation o = Observations.steady(cr, "0 1:CreateContainerConfigError 2", "v0* v1! v2", "3z");
    DegradedCheck.Issue tls =
        new DegradedCheck.Issue("TlsSecretIncomplete", "TLS Secret ns/certs has no ca.crt");
    Observation withTls =
        new Observation(
            o.cr(),
            o.statefulSet(),
            o.pods(),
            o.membership(),
            o.nodes(),
            o.scaleStep(),
            o.scaleBookkeeping(),
            o.roll(),
            o.failure(),
            Optional.of(tls),
            o.clusterDomain(),
            o.now());
    assertThat(DegradedCheck.issues(withTls, DegradedCheck.NOT_READY_DEADLINE))
        .extracting(DegradedCheck.Issue::reason)
        .containsExactly("TlsSecretIncomplete", "ContainersFailing", "MembersOffline");
    assertThat(DegradedCheck.issues(withTls, DegradedCheck.NOT_READY_DEADLINE).get(0))
        .isEqualTo(tls);
  }
}
