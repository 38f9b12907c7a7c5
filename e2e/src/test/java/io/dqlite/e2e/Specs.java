package io.dqlite.e2e;

/** The DqliteClusters the tests create, as users write them. */
final class Specs {

  private Specs() {}

  /** deploy/examples/minimal.yaml with a given name and replica count. */
  static String minimal(String name, int replicas) {
    return """
        apiVersion: dqlite.io/v1alpha1
        kind: DqliteCluster
        metadata:
          name: %s
        spec:
          replicas: %d
        """
        .formatted(name, replicas);
  }

  /**
   * Like {@link #minimal}, with the leader adjusting roles every 2 s instead of 30 s, so stand-bys
   * are assigned within seconds of a scale-up.
   */
  static String quickRoles(String name, int replicas) {
    return minimal(name, replicas)
        + """
          raft:
            rolesAdjustmentFrequency: 2s
        """;
  }
}
