package io.dqlite.e2e.support;

import java.nio.file.Path;

/** Paths of the checkout and of the build outputs the suite runs. */
public final class RepoPaths {

  private RepoPaths() {}

  /**
   * The repository root: {@code -De2e.repoRoot} (set by the pom), else the working directory's
   * parent.
   */
  public static Path root() {
    String configured = System.getProperty("e2e.repoRoot");
    Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().getParent();
    return root.toAbsolutePath().normalize();
  }

  public static Path sidecarJar() {
    return root().resolve("sidecar/target/dqlite-sidecar.jar");
  }

  public static Path operatorJar() {
    return root().resolve("operator/target/dqlite-operator.jar");
  }

  public static Path chart() {
    return root().resolve("helm/dqlite-operator");
  }

  /**
   * Where the state directories of the suite's control planes go: {@code -De2e.stateRoot}, default
   * {@code /var/tmp/dqe}. Short, because app sockets live under it (see {@link LocalPaths}).
   */
  public static Path stateRoot() {
    return Path.of(System.getProperty("e2e.stateRoot", "/var/tmp/dqe"));
  }
}
