package io.dqlite.sidecar.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which libdqlite a test process runs on: the host's (Debian bookworm, 1.11.1) or trixie's (1.18.1,
 * with go-dqlite 2.0.0 and OpenJDK 21) inside the root that {@code scripts/trixie-root.sh} builds
 * (make test builds it first). A trixie process runs in a private mount namespace ({@code unshare
 * -m} + {@code chroot}) on the host's network, so it talks to host processes over loopback and
 * abstract sockets, and its mounts vanish when it exits; the command keeps its pid, so signalling
 * the {@link Process} signals the program itself.
 */
enum Engine {
  /** libdqlite 1.11.1 of the bookworm host. */
  HOST,
  /** libdqlite 1.18.1 in the trixie root. */
  TRIXIE;

  /**
   * The engine of sidecar processes whose test does not choose one: {@code -Ddqlite.it.engine=}
   * {@code host} (default) or {@code trixie}, e.g. to run {@code SidecarIT} on libdqlite 1.18.1.
   */
  static Engine fromProperty() {
    String value = System.getProperty("dqlite.it.engine", "host");
    try {
      return valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "-Ddqlite.it.engine=" + value + ": expected host or trixie", e);
    }
  }

  static final Path SCRIPT =
      Path.of("..", "scripts", "trixie-root.sh").toAbsolutePath().normalize();

  /** The trixie root, or an error saying how to build it. */
  static Path trixieRoot() {
    // The script's default: $TRIXIE_ROOT, else ${XDG_CACHE_HOME:-$HOME/.cache}/dqlite-k8s/...
    String cache = System.getenv("XDG_CACHE_HOME");
    Path fallback =
        System.getenv("TRIXIE_ROOT") != null
            ? Path.of(System.getenv("TRIXIE_ROOT"))
            : (cache != null && !cache.isEmpty()
                    ? Path.of(cache)
                    : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("dqlite-k8s")
                .resolve("trixie-root");
    Path root = Path.of(System.getProperty("dqlite.trixie.root", fallback.toString()));
    if (!Files.isRegularFile(root.resolve(".dqlite-k8s-trixie-root"))) {
      throw new IllegalStateException(
          "no trixie root at "
              + root
              + ": build it with `bash scripts/trixie-root.sh build` (make"
              + " test does), as root");
    }
    return root;
  }

  /**
   * {@code command} as this engine runs it: as is on the host; in the trixie root with {@code
   * binds} mounted at the same paths and only {@code env} (plus PATH, HOME, LANG) in its
   * environment. The java binary is the root's own {@code /usr/bin/java}.
   */
  List<String> wrap(List<String> command, List<Path> binds, Map<String, String> env) {
    if (this == HOST) {
      return command;
    }
    Path root = trixieRoot();
    List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), "run"));
    for (Path b : binds) {
      cmd.add("--bind");
      cmd.add(b.toAbsolutePath().normalize().toString());
    }
    env.forEach(
        (k, v) -> {
          cmd.add("--env");
          cmd.add(k + "=" + v);
        });
    // JNA unpacks its stub under the cache directory: the namespace's fresh /tmp, not the root.
    cmd.add("--env");
    cmd.add("XDG_CACHE_HOME=/tmp/cache");
    cmd.add("--");
    cmd.addAll(command);
    String rootFlag = System.getProperty("dqlite.trixie.root");
    return rootFlag == null ? cmd : prefixEnv(cmd, root);
  }

  private static List<String> prefixEnv(List<String> cmd, Path root) {
    List<String> withRoot = new ArrayList<>(List.of("env", "TRIXIE_ROOT=" + root));
    withRoot.addAll(cmd);
    return withRoot;
  }

  /** The java binary a process of this engine runs. */
  String java() {
    return this == HOST
        ? Path.of(System.getProperty("java.home"), "bin", "java").toString()
        : "/usr/bin/java";
  }
}
