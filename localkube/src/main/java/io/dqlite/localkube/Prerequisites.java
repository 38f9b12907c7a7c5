package io.dqlite.localkube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a local control plane needs on this machine, checked without starting or building anything:
 * every harness (operator, packaging, e2e, sidecar tests) skips with this one reason rather than
 * build the binaries itself (minutes on a fresh machine; {@code make test} builds them first).
 */
public final class Prerequisites {

  private static final List<String> CONTROL_PLANE =
      List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler");

  /** Asked once per JVM: the answer depends only on the environment, and asking runs a script. */
  private static volatile Path binDir;

  private Prerequisites() {}

  /**
   * The directory {@code build-binaries.sh} builds into (its environment overrides included), with
   * the scripts found as {@link LocalControlPlane.Builder#scriptDir} finds them by default.
   */
  public static Path binDir() {
    Path known = binDir;
    if (known != null) {
      return known;
    }
    try {
      return binDir =
          Path.of(
              new Scripts(Scripts.locate(), Map.of())
                  .run(Duration.ofSeconds(30), "build-binaries.sh", "--print-bin-dir")
                  .get(0));
    } catch (IOException e) {
      throw new UncheckedIOException("build-binaries.sh --print-bin-dir", e);
    }
  }

  /**
   * What is missing, with how to fix it, if anything: the control-plane binaries and {@code tools}
   * (e.g. {@code kubectl}, {@code helm}) in {@link #binDir()}, and etcd on the PATH.
   */
  public static Optional<String> missing(String... tools) {
    Path bin;
    try {
      bin = binDir();
    } catch (RuntimeException e) {
      return Optional.of("build-binaries.sh --print-bin-dir failed: " + e.getMessage());
    }
    List<String> absent =
        Stream.concat(CONTROL_PLANE.stream(), Stream.of(tools))
            .filter(b -> !Files.isExecutable(bin.resolve(b)))
            .toList();
    boolean etcd =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
            .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "etcd")));
    if (absent.isEmpty() && etcd) {
      return Optional.empty();
    }
    return Optional.of(
        (absent.isEmpty() ? "" : String.join(", ", absent) + " not in " + bin + "; ")
            + (etcd ? "" : "etcd (Debian's etcd-server) not on the PATH; ")
            + "run `make k8s-binaries`");
  }
}
