package io.dqlite.operator.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterSpec;
import io.dqlite.operator.dependents.GeneratedTls;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When every pod runs with the current node Secret, case by case. */
class TlsRotatorTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                       | template rev | generation/observed | update rev | pod revisions | rolled out
          every pod on the update revision             | r2           | 4/4                 | h2         | h2 h2 h2      | true
          one pod still on the old revision            | r2           | 4/4                 | h2         | h2 h1 h2      | false
          the controller has not seen the template yet | r2           | 5/4                 | h1         | h1 h1 h1      | false
          the template carries another Secret          | r1           | 4/4                 | h2         | h2 h2 h2      | false
          the template carries none                    | -            | 4/4                 | h2         | h2 h2 h2      | false
          no pods yet                                  | r2           | 4/4                 | h2         |               | true
          no StatefulSet                               | none         | 4/4                 | h2         | h2            | false
          """)
  void rolledOut(
      String description,
      String templateRevision,
      String generations,
      String updateRevision,
      String podRevisions,
      boolean expected) {
    DqliteCluster cr = new DqliteCluster();
    cr.setMetadata(new ObjectMetaBuilder().withName("db").withNamespace("shop").build());
    cr.setSpec(new DqliteClusterSpec());
    String[] g = generations.split("/");
    Optional<StatefulSet> sts =
        "none".equals(templateRevision)
            ? Optional.empty()
            : Optional.of(
                new StatefulSetBuilder()
                    .withNewMetadata()
                    .withName("db")
                    .withGeneration(Long.valueOf(g[0]))
                    .endMetadata()
                    .withNewSpec()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToAnnotations(
                        "-".equals(templateRevision)
                            ? java.util.Map.of()
                            : java.util.Map.of(GeneratedTls.REVISION_ANNOTATION, templateRevision))
                    .endMetadata()
                    .endTemplate()
                    .endSpec()
                    .withNewStatus()
                    .withObservedGeneration(Long.valueOf(g[1]))
                    .withUpdateRevision(updateRevision)
                    .endStatus()
                    .build());
    List<String> revisions =
        podRevisions == null ? List.of() : Arrays.asList(podRevisions.trim().split("\\s+"));
    List<Pod> pods =
        java.util.stream.IntStream.range(0, revisions.size())
            .mapToObj(
                i ->
                    new PodBuilder()
                        .withNewMetadata()
                        .withName("db-" + i)
                        .addToLabels("controller-revision-hash", revisions.get(i))
                        .endMetadata()
                        .build())
            .toList();
    assertThat(TlsRotator.rolledOut(cr, sts, pods, "r2")).isEqualTo(expected);
  }
}
