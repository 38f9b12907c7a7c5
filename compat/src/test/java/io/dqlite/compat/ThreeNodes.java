package io.dqlite.compat;

import static org.awaitility.Awaitility.await;

import io.dqlite.client.Client;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.sidecar.app.App;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The suite's cluster: three voters of the project's own nodes (the sidecar's {@link App}, a port
 * of go-dqlite's app package, on libdqlite 1.11 through JNA), in this JVM, on loopback IP {@value
 * #HOST}. One cluster serves every test class of a run (each class uses databases of its own): a
 * JUnit extension starts it at first use, and JUnit closes it (an AutoCloseable in the root store)
 * when the run ends. Data lives under {@link #dataRoot()} and is deleted on close unless {@code
 * -Ddqlite.it.keep=true}.
 */
public final class ThreeNodes implements AutoCloseable {

  /** This suite's loopback IP (the other suites keep to their own). */
  public static final String HOST = "127.0.21.1";

  private static final Logger log = LoggerFactory.getLogger(ThreeNodes.class);
  private static final Duration READY = Duration.ofSeconds(90);
  private static final long SHM_NEEDED = 1L << 30;

  private final Path dir;
  private final List<App> apps = new ArrayList<>();
  private boolean closed;

  private ThreeNodes(Path dir) {
    this.dir = dir;
  }

  /** Starts three nodes (the first bootstraps, the others join it) and waits for three voters. */
  static ThreeNodes start() throws Exception {
    Path base = dataRoot();
    Files.createDirectories(base);
    ThreeNodes nodes = new ThreeNodes(Files.createTempDirectory(base, "cluster-"));
    try {
      for (int i = 1; i <= 3; i++) {
        List<String> join = nodes.addresses();
        App app =
            App.builder(nodes.dir.resolve("n" + i))
                .address(HOST + ":" + freePort())
                .cluster(join)
                .rolesAdjustmentFrequency(Duration.ofSeconds(1))
                .build();
        nodes.apps.add(app);
        app.ready(READY);
      }
      await("three voters")
          .atMost(READY)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> nodes.voters().size() == 3);
      log.info("cluster of 3 voters up: {}", nodes.addresses());
      return nodes;
    } catch (Exception | Error e) {
      nodes.close();
      throw e;
    }
  }

  /**
   * Where the nodes keep their data: {@code -Dcompat.dataDir}, else a directory in {@code /dev/shm}
   * when the machine has one with 1 GiB free (a commit then costs the raft round trip but no disk
   * flush, which keeps the suite's 6 x 3200 transactions within the time {@code make test} allows),
   * else {@code target/compat-it}.
   */
  static Path dataRoot() {
    String configured = System.getProperty("compat.dataDir");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    Path shm = Path.of("/dev/shm");
    try {
      // The raft logs of the suite's loads take a few hundred MiB at most; a container's default
      // 64 MiB /dev/shm is too small, so it is used only with room to spare.
      if (Files.isDirectory(shm)
          && Files.isWritable(shm)
          && Files.getFileStore(shm).getUsableSpace() >= SHM_NEEDED) {
        return shm.resolve("dqlite-compat-it");
      }
    } catch (IOException e) {
      log.debug("cannot inspect {}: {}", shm, e.getMessage());
    }
    return Path.of("target", "compat-it").toAbsolutePath();
  }

  /** The nodes' addresses, {@code host:port}. */
  public List<String> addresses() {
    return apps.stream().map(App::address).toList();
  }

  /** The driver URL for {@code database}; {@code properties} such as {@code busyTimeout=1000}. */
  public String url(String database, String... properties) {
    String query = properties.length == 0 ? "" : "?" + String.join("&", properties);
    return "jdbc:dqlite://" + String.join(",", addresses()) + "/" + database + query;
  }

  /** Settings for the admin client: short timeouts, so failures show quickly. */
  public static ConnectorConfig adminConfig() {
    return ConnectorConfig.builder()
        .dialTimeout(Duration.ofSeconds(2))
        .attemptTimeout(Duration.ofSeconds(5))
        .connectTimeout(Duration.ofSeconds(30))
        .requestTimeout(Duration.ofSeconds(20))
        .build();
  }

  private Client admin() throws Exception {
    return Client.findLeader(
        InMemoryNodeStore.of(addresses().toArray(String[]::new)), adminConfig());
  }

  List<NodeInfo> voters() throws Exception {
    try (Client c = admin()) {
      return c.cluster().stream().filter(n -> n.role() == NodeRole.VOTER).toList();
    }
  }

  /** The leader's address. */
  public String leader() throws Exception {
    try (Client c = admin()) {
      return c.address();
    }
  }

  /**
   * Hands leadership from the current leader to another voter with the admin client ({@code
   * transfer}, as a sidecar's handover does), and waits until the new leader answers.
   *
   * @return the new leader's address
   */
  public String transferLeadership() throws Exception {
    String from;
    String to;
    try (Client c = admin()) {
      from = c.address();
      NodeInfo target =
          c.cluster().stream()
              .filter(n -> n.role() == NodeRole.VOTER && !n.address().equals(c.address()))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no other voter to transfer to"));
      to = target.address();
      c.transfer(target.id());
    }
    await("leadership moved from " + from + " to " + to)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> leader().equals(to));
    log.info("leadership handed over from {} to {}", from, to);
    return to;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("find a free port on " + HOST, e);
    }
  }

  /** Closes the nodes, newest first, and deletes their data. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = apps.size() - 1; i >= 0; i--) {
      apps.get(i).close();
    }
    if (!Boolean.getBoolean("dqlite.it.keep")) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        dir.getParent().toFile().delete(); // only when no other run's cluster is left in it
      } catch (IOException e) {
        log.warn("cannot delete {}: {}", dir, e.getMessage());
      }
    }
  }

  /**
   * Injects the run's {@link ThreeNodes} into test methods and {@code @BeforeAll} methods:
   * {@code @ExtendWith(ThreeNodes.Extension.class)}.
   */
  public static final class Extension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
      return p.getParameter().getType() == ThreeNodes.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
      return c.getRoot()
          .getStore(ExtensionContext.Namespace.create(ThreeNodes.class))
          .getOrComputeIfAbsent(
              "cluster",
              k -> {
                try {
                  return start();
                } catch (Exception e) {
                  throw new IllegalStateException("start the suite's 3-node cluster: " + e, e);
                }
              },
              ThreeNodes.class);
    }
  }
}
