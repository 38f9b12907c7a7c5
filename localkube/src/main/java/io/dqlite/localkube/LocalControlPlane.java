package io.dqlite.localkube;

import io.dqlite.localkube.pods.PodManager;
import io.dqlite.localkube.process.ProcessTrees;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running local control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler on
 * loopback), started through {@code localkube/control-plane.sh}. Closing it stops every process it
 * started, also from a JVM shutdown hook; a later start reaps clusters whose JVM died without
 * closing them.
 *
 * <pre>{@code
 * try (LocalControlPlane cp = LocalControlPlane.builder().build().start()) {
 *   cp.client().namespaces().list();
 * }
 * }</pre>
 */
public final class LocalControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalControlPlane.class);
  private static final String OWNER_FILE = "owner.pid";
  private static final List<String> COMPONENTS =
      List.of("kube-scheduler", "kube-controller-manager", "kube-apiserver", "etcd");

  private final Options options;
  private final Scripts scripts;
  private final Thread shutdownHook = new Thread(this::closeFromHook, "localkube-shutdown");
  private KubernetesClient client;
  private boolean started;
  private boolean closed;

  private LocalControlPlane(Options options) {
    this.options = options;
    this.scripts = new Scripts(options.scriptDir(), scriptEnv(options));
  }

  /** Options with defaults; see {@link Builder}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds the binaries if needed (minutes on a fresh machine), then starts the control plane and
   * waits until the API is ready and the {@code default} ServiceAccount exists.
   */
  public synchronized LocalControlPlane start() {
    if (started) {
      return this;
    }
    started = true;
    reapOrphans(options.stateDir().getParent());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      Files.createDirectories(options.stateDir());
      Files.writeString(
          options.stateDir().resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
      scripts.run(options.buildTimeout(), "build-binaries.sh");
      scripts.run(options.upTimeout().plusSeconds(30), "control-plane.sh", "up");
    } catch (IOException | RuntimeException e) {
      close();
      throw new IllegalStateException(
          "start the local control plane in "
              + options.stateDir()
              + ": "
              + e.getMessage()
              + " (component logs were in "
              + options.stateDir()
              + "/logs; keep them with wipeOnClose(false))",
          e);
    }
    return this;
  }

  /** The admin kubeconfig (user in {@code system:masters}). */
  public Path kubeconfig() {
    return options.stateDir().resolve("admin.kubeconfig");
  }

  /**
   * The state directory: certificates in {@code pki/}, logs in {@code logs/}, PIDs in {@code run/}.
   */
  public Path stateDir() {
    return options.stateDir();
  }

  /**
   * The certificates: {@code ca.crt}, {@code kubelet.crt}/{@code kubelet.key} (for the node agent's
   * kubelet API), the clients' certificates and keys.
   */
  public Path pkiDir() {
    return options.stateDir().resolve("pki");
  }

  /** The directory with kubectl, helm and the control-plane binaries. */
  public Path binDir() {
    try {
      return Path.of(
          scripts.run(Duration.ofSeconds(30), "build-binaries.sh", "--print-bin-dir").get(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code https://host:port} of the API server. */
  public String apiServerUrl() {
    return "https://" + options.host() + ":" + options.apiPort();
  }

  /** The API server's address and port, as a pod would be told through KUBERNETES_SERVICE_*. */
  public String host() {
    return options.host();
  }

  /** The API server's secure port. */
  public int apiPort() {
    return options.apiPort();
  }

  /** A client with the admin kubeconfig; shared, closed by {@link #close()}. */
  public synchronized KubernetesClient client() {
    if (client == null) {
      client = new KubernetesClientBuilder().withConfig(config()).build();
    }
    return client;
  }

  /**
   * A fresh fabric8 {@link Config} from the admin kubeconfig, for callers that build their own
   * client.
   */
  public Config config() {
    return Config.fromKubeconfig(kubeconfig().toFile());
  }

  /** Stops every component (SIGTERM, then SIGKILL) and, by default, removes the state directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
      // the JVM is exiting (we run in the hook) or start() failed before adding it
    }
    stop();
  }

  private synchronized void closeFromHook() {
    if (!closed) {
      closed = true;
      LOG.warn("JVM exiting with the control plane in {} still up: stopping it", stateDir());
      stop();
    }
  }

  private void stop() {
    if (client != null) {
      client.close();
    }
    try {
      scripts.run(Duration.ofSeconds(120), "control-plane.sh", "down");
    } catch (IOException | RuntimeException e) {
      LOG.warn("control-plane.sh down failed: {}; killing by recorded PIDs", e.getMessage());
    }
    killRecorded(options.stateDir());
    if (options.wipeOnClose()) {
      deleteTree(options.stateDir());
    }
  }

  /**
   * Stops clusters started under {@code workDir} by JVMs that died without closing them (a killed
   * test run), so that their processes do not pile up.
   */
  static void reapOrphans(Path workDir) {
    if (workDir == null || !Files.isDirectory(workDir)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(workDir)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        Optional<Long> owner = readPid(dir.resolve(OWNER_FILE));
        if (owner.isPresent()
            && ProcessHandle.of(owner.get()).map(p -> !p.isAlive()).orElse(true)) {
          LOG.warn("reaping the control plane in {} (its JVM {} is gone)", dir, owner.get());
          killRecorded(dir);
          // A node agent kept in the conventional place (stateDir/agent) left pods running too.
          PodManager.reapOrphans(dir.resolve("agent").resolve("pods"));
          deleteTree(dir);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot scan {} for orphaned control planes: {}", workDir, e.getMessage());
    }
  }

  /** Kills components whose pid file remains; only PIDs whose command line names {@code dir}. */
  private static void killRecorded(Path dir) {
    for (String name : COMPONENTS) {
      readPid(dir.resolve("run").resolve(name + ".pid"))
          .flatMap(ProcessHandle::of)
          .filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
          .ifPresent(
              p -> {
                LOG.warn("{} (pid {}) still running after down: destroying it", name, p.pid());
                ProcessTrees.destroy(p, Duration.ofSeconds(20));
              });
    }
  }

  private static Optional<Long> readPid(Path file) {
    try {
      return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", dir, e.getMessage());
    }
  }

  private static Map<String, String> scriptEnv(Options o) {
    Map<String, String> env = new HashMap<>();
    env.put("LOCALKUBE_DIR", o.stateDir().toString());
    env.put("LOCALKUBE_HOST", o.host());
    env.put("LOCALKUBE_API_PORT", Integer.toString(o.apiPort()));
    env.put("LOCALKUBE_ETCD_PORT", Integer.toString(o.etcdPort()));
    env.put("LOCALKUBE_ETCD_PEER_PORT", Integer.toString(o.etcdPeerPort()));
    env.put("LOCALKUBE_KCM_PORT", Integer.toString(o.controllerManagerPort()));
    env.put("LOCALKUBE_SCHED_PORT", Integer.toString(o.schedulerPort()));
    env.put("LOCALKUBE_UP_TIMEOUT", Long.toString(o.upTimeout().toSeconds()));
    return env;
  }

  /** Immutable options; every default is set in {@link Builder}. */
  record Options(
      Path scriptDir,
      Path stateDir,
      String host,
      int apiPort,
      int etcdPort,
      int etcdPeerPort,
      int controllerManagerPort,
      int schedulerPort,
      Duration upTimeout,
      Duration buildTimeout,
      boolean wipeOnClose) {}

  /** Builder; unset ports are picked free on the host at {@link #build()}. */
  public static final class Builder {
    private Path scriptDir;
    private Path stateDir;
    private String host = "127.0.0.1";
    private Duration upTimeout = Duration.ofMinutes(3);
    private Duration buildTimeout = Duration.ofMinutes(60);
    private boolean wipeOnClose = true;

    private Builder() {}

    /**
     * Where the scripts are; default {@code -Dlocalkube.scriptDir} or found above the working dir.
     */
    public Builder scriptDir(Path dir) {
      this.scriptDir = dir;
      return this;
    }

    /**
     * State directory; default a fresh directory under {@code -Dlocalkube.workDir} (else {@code
     * target/localkube}). Keep one directory per cluster: orphans are reaped per parent directory.
     */
    public Builder stateDir(Path dir) {
      this.stateDir = dir;
      return this;
    }

    /** Loopback address every component binds; default 127.0.0.1. */
    public Builder host(String host) {
      if (!host.startsWith("127.")) {
        throw new IllegalArgumentException(host + " is not a loopback address (127.0.0.0/8)");
      }
      this.host = host;
      return this;
    }

    /** How long {@code up} may take once binaries exist; default 3 minutes. */
    public Builder upTimeout(Duration timeout) {
      this.upTimeout = timeout;
      return this;
    }

    /** How long building the binaries may take on a fresh machine; default 60 minutes. */
    public Builder buildTimeout(Duration timeout) {
      this.buildTimeout = timeout;
      return this;
    }

    /** Whether {@link #close()} removes the state directory; default true. */
    public Builder wipeOnClose(boolean wipe) {
      this.wipeOnClose = wipe;
      return this;
    }

    /** Resolves defaults and picks free ports; call {@link LocalControlPlane#start()} next. */
    public LocalControlPlane build() {
      Path scripts = scriptDir != null ? scriptDir.toAbsolutePath() : Scripts.locate();
      Path state = stateDir;
      if (state == null) {
        Path work = Path.of(System.getProperty("localkube.workDir", "target/localkube"));
        try {
          Files.createDirectories(work);
          state = Files.createTempDirectory(work.toAbsolutePath(), "cp-");
        } catch (IOException e) {
          throw new UncheckedIOException("create a state directory under " + work, e);
        }
      }
      List<Integer> ports = FreePorts.pick(host, 5);
      return new LocalControlPlane(
          new Options(
              scripts,
              state.toAbsolutePath(),
              host,
              ports.get(0),
              ports.get(1),
              ports.get(2),
              ports.get(3),
              ports.get(4),
              upTimeout,
              buildTimeout,
              wipeOnClose));
    }
  }
}
