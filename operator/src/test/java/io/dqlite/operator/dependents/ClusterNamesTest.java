package io.dqlite.operator.dependents;

import static io.dqlite.operator.dependents.TestClusters.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterNamesTest {

  private final DqliteCluster db = TestClusters.cluster();

  @Test
  void names() {
    assertThat(ClusterNames.statefulSet(db)).isEqualTo("db");
    assertThat(ClusterNames.headlessService(db)).isEqualTo("db-headless");
    assertThat(ClusterNames.clientService(db)).isEqualTo("db");
    assertThat(ClusterNames.joinConfigMap(db)).isEqualTo("db-join");
    assertThat(ClusterNames.podName(db, 2)).isEqualTo("db-2");
    assertThat(ClusterNames.dataClaim(db, 2)).isEqualTo("dqlite-data-db-2");
  }

  @Test
  void podAddressIsThePodsStableDnsName() {
    assertThat(ClusterNames.podAddress(db, 1, DOMAIN))
        .isEqualTo("db-1.db-headless.shop.svc.cluster.local:9001");
    assertThat(ClusterNames.podAddress(db, 1, "corp.example"))
        .isEqualTo("db-1.db-headless.shop.svc.corp.example:9001");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 12, 1000})
  void ordinalOfInvertsPodAddress(int ordinal) {
    assertThat(ClusterNames.ordinalOf(db, ClusterNames.podAddress(db, ordinal, DOMAIN), DOMAIN))
        .isEqualTo(OptionalInt.of(ordinal));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "another cluster's pod, db-1-0.db-1-headless.shop.svc.cluster.local:9001",
    "another namespace, db-0.db-headless.other.svc.cluster.local:9001",
    "another port, db-0.db-headless.shop.svc.cluster.local:9000",
    "another domain, db-0.db-headless.shop.svc.corp.example:9001",
    "short name, db-0.db-headless:9001",
    "leading zero, db-01.db-headless.shop.svc.cluster.local:9001",
    "an IP, 10.0.0.5:9001",
    "no ordinal, db-.db-headless.shop.svc.cluster.local:9001",
  })
  void ordinalOfRejectsAnyOtherForm(String description, String address) {
    assertThat(ClusterNames.ordinalOf(db, address, DOMAIN)).isEmpty();
  }

  @Test
  void labelsAndSelector() {
    assertThat(ClusterNames.selectorLabels(db))
        .containsExactly(
            org.assertj.core.api.Assertions.entry("app.kubernetes.io/name", "dqlite"),
            org.assertj.core.api.Assertions.entry("app.kubernetes.io/instance", "db"));
    assertThat(ClusterNames.labels(db))
        .containsAllEntriesOf(ClusterNames.selectorLabels(db))
        .containsEntry("app.kubernetes.io/managed-by", "dqlite-operator");
    assertThat(ClusterNames.selector(db))
        .isEqualTo("app.kubernetes.io/name=dqlite,app.kubernetes.io/instance=db");
  }
}
