package io.dqlite.e2e.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the checkout and of the build outputs the suite runs. */
public final class RepoPaths {

  private RepoPaths() {}

  /** The repository root: {@code -De2e.repoRoot} (set by the pom), else the working directory's parent. */
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

  /**
   * kubectl, helm and the control-plane binaries, where {@code localkube/build-binaries.sh} puts
   * them: {@code $LOCALKUBE_BIN_DIR}, else {@code ${XDG_CACHE_HOME:-~/.cache}/dqlite-k8s/k8s-v1.36.3/bin}.
   */
  public static Path k8sBinDir() {
    String explicit = System.getenv("LOCALKUBE_BIN_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache = xdg != null && !xdg.isBlank()
        ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    String cacheRoot = System.getenv("LOCALKUBE_CACHE");
    Path base = cacheRoot != null && !cacheRoot.isBlank()
        ? Path.of(cacheRoot) : cache.resolve("dqlite-k8s");
    return base.resolve("k8s-v1.36.3/bin");
  }

  /** Whether an executable of that name is on the PATH. */
  public static boolean onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
