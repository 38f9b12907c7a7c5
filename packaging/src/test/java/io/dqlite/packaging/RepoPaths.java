package io.dqlite.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the repository, and whether they refresh generated files instead of
 * comparing with them ({@code -Dpackaging.update=true}, which {@code make helm-render} sets).
 */
final class RepoPaths {

  private RepoPaths() {}

  /**
   * The repository root: {@code -Dpackaging.repoRoot}, else the first parent holding the
   * Dockerfile.
   */
  static Path root() {
    String property = System.getProperty("packaging.repoRoot");
    if (property != null) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("Dockerfile"))
          && Files.isDirectory(p.resolve("packaging"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the repository root above "
            + Path.of("").toAbsolutePath()
            + ": run from the repository or set -Dpackaging.repoRoot");
  }

  static Path resolve(String relative) {
    return root().resolve(relative);
  }

  static Path chart() {
    return resolve("helm/dqlite-operator");
  }

  static Path crd() {
    return resolve("crds/dqliteclusters.dqlite.io-v1.yml");
  }

  /** Whether generated files are rewritten rather than compared ({@code make helm-render}). */
  static boolean update() {
    return Boolean.getBoolean("packaging.update");
  }

  /** The Maven project version, e.g. 0.1.0-SNAPSHOT (set by the pom for surefire). */
  static String projectVersion() {
    String version = System.getProperty("packaging.projectVersion");
    if (version == null || version.isBlank()) {
      throw new IllegalStateException("-Dpackaging.projectVersion is not set: run through Maven");
    }
    return version;
  }

  /** The release version images and the chart carry: the project version without -SNAPSHOT. */
  static String releaseVersion() {
    return projectVersion().replaceFirst("-SNAPSHOT$", "");
  }
}
