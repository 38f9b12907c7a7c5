package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterSpec;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.function.Consumer;

/** DqliteCluster fixtures: {@code db} in namespace {@code shop}, spec defaults unless changed. */
final class TestClusters {

  static final String DOMAIN = "cluster.local";

  private TestClusters() {}

  static DqliteCluster cluster() {
    return cluster(spec -> {});
  }

  static DqliteCluster cluster(Consumer<DqliteClusterSpec> change) {
    return named("db", change);
  }

  static DqliteCluster named(String name, Consumer<DqliteClusterSpec> change) {
    DqliteCluster cr = new DqliteCluster();
    cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop").build());
    DqliteClusterSpec spec = new DqliteClusterSpec();
    change.accept(spec);
    cr.setSpec(spec);
    return cr;
  }

  static DqliteCluster bootstrapped(DqliteCluster cr) {
    DqliteClusterStatus status = new DqliteClusterStatus();
    status.setBootstrapped(true);
    cr.setStatus(status);
    return cr;
  }
}
