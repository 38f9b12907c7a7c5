package io.dqlite.client.testing;

import static org.awaitility.Awaitility.await;

import io.dqlite.client.Client;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.leader.NodeStore;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real cluster of go-dqlite {@code dqlite-demo} processes on loopback, for integration tests:
 * free ports chosen at start, data and logs in a fresh directory under {@code target/dqlite-it}
 * (property {@code dqlite.it.dir}), every process killed and the directory deleted on {@link
 * #close()} (kept when {@code -Ddqlite.it.keep=true}).
 *
 * <p>The first node bootstraps; the others join it with {@code -j}. A node is ready when its HTTP
 * API listens, which {@code dqlite-demo} does only after go-dqlite's {@code App.Ready}. Each node
 * runs go-dqlite's App, which adjusts roles every 30 s on the leader: tests must tolerate that.
 */
public final class DqliteDemoCluster implements AutoCloseable {

  /** The binary, from Debian's {@code go-dqlite} package. */
  public static final String BINARY = "dqlite-demo";

  private static final Set<Integer> HANDED_OUT = Collections.synchronizedSet(new HashSet<>());

  private final String host;
  private final Path directory;
  private final Duration readyTimeout;
  private final List<Node> nodes = Collections.synchronizedList(new ArrayList<>());
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private boolean closed;

  private DqliteDemoCluster(String host, Path directory, Duration readyTimeout) {
    this.host = host;
    this.directory = directory;
    this.readyTimeout = readyTimeout;
  }

  /** Starts {@code size} nodes on 127.0.0.1 and waits until every one is a member and ready. */
  public static DqliteDemoCluster start(int size) {
    return start(size, "127.0.0.1");
  }

  /** Starts {@code size} nodes on loopback address {@code host}. */
  public static DqliteDemoCluster start(int size, String host) {
    Path base = Path.of(System.getProperty("dqlite.it.dir", "target/dqlite-it")).toAbsolutePath();
    DqliteDemoCluster cluster;
    try {
      Files.createDirectories(base);
      cluster =
          new DqliteDemoCluster(
              host, Files.createTempDirectory(base, "cluster-"), Duration.ofSeconds(90));
    } catch (IOException e) {
      throw new UncheckedIOException("create the test cluster directory under " + base, e);
    }
    try {
      for (int i = 0; i < size; i++) {
        cluster.addNode();
      }
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** The nodes in start order. */
  public List<Node> nodes() {
    synchronized (nodes) {
      return List.copyOf(nodes);
    }
  }

  public Node node(int index) {
    return nodes().get(index);
  }

  /** The database addresses of the nodes that joined (or bootstrapped) the cluster. */
  public List<String> addresses() {
    return nodes().stream().filter(n -> n.member).map(Node::address).toList();
  }

  /**
   * The driver's URL for {@code database} (with any {@code ?properties}) on {@link #addresses()}.
   */
  public String jdbcUrl(String database) {
    return "jdbc:dqlite://" + String.join(",", addresses()) + "/" + database;
  }

  /** A node store seeded with {@link #addresses()}. */
  public NodeStore store() {
    return InMemoryNodeStore.of(addresses().toArray(String[]::new));
  }

  /** The directory holding the nodes' data and logs. */
  public Path directory() {
    return directory;
  }

  /** Test settings for clients of this cluster: short timeouts, so failures show quickly. */
  public ConnectorConfig connectorConfig() {
    return ConnectorConfig.builder()
        .dialTimeout(Duration.ofSeconds(2))
        .attemptTimeout(Duration.ofSeconds(5))
        .connectTimeout(Duration.ofSeconds(30))
        .requestTimeout(Duration.ofSeconds(20))
        .build();
  }

  /**
   * Starts one more node that joins the cluster (or bootstraps it when it is the first), and waits
   * until it is ready and listed by the leader.
   */
  public Node addNode() {
    List<String> join = addresses();
    Node node = newNode(join.isEmpty() ? List.of() : join, true);
    node.startFresh();
    if (!join.isEmpty()) {
      awaitMember(node);
    }
    return node;
  }

  /**
   * Starts a node that never joins by itself (it is told to join through an address where nothing
   * listens): a running raft node for tests that add it with {@link Client#add}. Its HTTP API never
   * opens; it is considered up once its database port accepts connections.
   */
  public Node startUnjoinedNode() {
    Node node = newNode(List.of(host + ":" + freePort()), false);
    node.startFresh();
    return node;
  }

  /** The node that is currently the leader, as the first reachable node reports it. */
  public Optional<Node> leader() {
    for (Node n : nodes()) {
      if (!n.isRunning()) {
        continue;
      }
      try (Client c = Client.connect(n.address(), connectorConfig())) {
        Optional<NodeInfo> leader = c.leader();
        if (leader.isPresent()) {
          return nodes().stream()
              .filter(x -> x.address().equals(leader.get().address()))
              .findFirst();
        }
      } catch (DqliteException e) {
        // Try the next node.
      }
    }
    return Optional.empty();
  }

  /** The last lines of every node's log, for failure messages. */
  public String logTails(int lines) {
    StringBuilder sb = new StringBuilder();
    for (Node n : nodes()) {
      sb.append("---- ").append(n.address()).append(" (").append(n.logFile).append(")\n");
      sb.append(n.logTail(lines)).append('\n');
    }
    return sb.toString();
  }

  private Node newNode(List<String> join, boolean member) {
    synchronized (nodes) {
      Node node = new Node(nodes.size() + 1, join, member);
      nodes.add(node);
      return node;
    }
  }

  private void awaitMember(Node node) {
    await("node " + node.address() + " listed in the cluster")
        .atMost(readyTimeout)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsInstanceOf(DqliteException.class)
        .until(
            () -> {
              try (Client c = Client.findLeader(store(), connectorConfig())) {
                return c.cluster().stream().anyMatch(n -> n.address().equals(node.address()));
              }
            });
  }

  /** A free port on {@link #host}, not handed out before by this JVM. */
  int freePort() {
    for (int i = 0; i < 100; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
        int port = s.getLocalPort();
        if (HANDED_OUT.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("pick a free port on " + host, e);
      }
    }
    throw new IllegalStateException("no free port found on " + host);
  }

  /** Kills every node, then deletes the directory unless {@code dqlite.it.keep} is set. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Node n : nodes()) {
      n.kill();
    }
    if (!Boolean.getBoolean("dqlite.it.keep")) {
      deleteRecursively(directory);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Leftovers under target/ are removed by mvn clean.
    }
  }

  /** One {@code dqlite-demo} process, restartable with the same ports and data. */
  public final class Node {
    private final int index;
    private final List<String> join;
    private final boolean member;
    private int apiPort;
    private int dbPort;
    private final Path logFile;
    private Process process;

    private Node(int index, List<String> join, boolean member) {
      this.index = index;
      this.join = join;
      this.member = member;
      this.logFile = directory.resolve("node-" + index + ".log");
    }

    /** The database (raft) address, {@code host:port}. */
    public String address() {
      return host + ":" + dbPort;
    }

    /** The HTTP API address of the demo's key/value service. */
    public String apiAddress() {
      return host + ":" + apiPort;
    }

    /** Where go-dqlite keeps this node's files ({@code DIR/<address>}). */
    public Path dataDir() {
      return directory.resolve(address());
    }

    public Path logFile() {
      return logFile;
    }

    /** The raft id from {@code info.yaml}. */
    public long id() {
      try {
        for (String line : Files.readAllLines(dataDir().resolve("info.yaml"))) {
          if (line.startsWith("ID:")) {
            return Long.parseUnsignedLong(line.substring(3).trim());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("read " + dataDir().resolve("info.yaml"), e);
      }
      throw new IllegalStateException("no ID in " + dataDir().resolve("info.yaml"));
    }

    public synchronized boolean isRunning() {
      return process != null && process.isAlive();
    }

    /** Starts the process again with the same ports and data, and waits until it is up. */
    public synchronized void start() {
      if (isRunning()) {
        throw new IllegalStateException("node " + address() + " is already running");
      }
      launch();
      awaitUp();
    }

    private synchronized void startFresh() {
      for (int attempt = 1; ; attempt++) {
        apiPort = freePort();
        dbPort = freePort();
        launch();
        try {
          awaitUp();
          return;
        } catch (RuntimeException e) {
          boolean portRace = logTail(50).contains("address already in use");
          kill();
          if (!portRace || attempt == 3) {
            throw new IllegalStateException(
                "dqlite-demo node "
                    + index
                    + " did not start: "
                    + e.getMessage()
                    + "\n"
                    + logTail(40),
                e);
          }
          deleteRecursively(dataDir());
        }
      }
    }

    private void launch() {
      List<String> cmd = new ArrayList<>();
      cmd.add(BINARY);
      cmd.add("-v");
      cmd.add("-a");
      cmd.add(apiAddress());
      cmd.add("-d");
      cmd.add(address());
      cmd.add("-D");
      cmd.add(directory.toString());
      for (String j : join) {
        cmd.add("-j");
        cmd.add(j);
      }
      try {
        process =
            new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot run "
                + BINARY
                + " (install go-dqlite 1.11: `make deps` or"
                + " `apt-get install go-dqlite`): "
                + e.getMessage(),
            e);
      }
    }

    private void awaitUp() {
      String probe = member ? apiAddress() : address();
      await("dqlite-demo node " + index + " (" + address() + ") up")
          .atMost(readyTimeout)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "dqlite-demo exited with code " + process.exitValue());
                }
                return accepts(probe);
              });
    }

    /** Graceful stop: SIGTERM (the demo hands over leadership first), SIGKILL after 30 s. */
    public synchronized void stop() {
      if (process == null) {
        return;
      }
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
      }
    }

    /** SIGKILL to the process and any children; waits until it is gone. */
    public synchronized void kill() {
      if (process == null) {
        return;
      }
      process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** PUT through the demo's HTTP API (database "demo", table model). */
    public String put(String key, String value) {
      return http(HttpRequest.newBuilder(uri(key)).PUT(HttpRequest.BodyPublishers.ofString(value)));
    }

    /** GET through the demo's HTTP API. */
    public String get(String key) {
      return http(HttpRequest.newBuilder(uri(key)).GET());
    }

    private URI uri(String key) {
      return URI.create("http://" + apiAddress() + "/" + key);
    }

    private String http(HttpRequest.Builder request) {
      try {
        return http.send(
                request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body()
            .trim();
      } catch (IOException e) {
        throw new UncheckedIOException("HTTP to " + apiAddress(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    /** The last {@code lines} lines of this node's log. */
    public String logTail(int lines) {
      try {
        if (!Files.exists(logFile)) {
          return "(no log)";
        }
        List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
      } catch (IOException e) {
        return "(cannot read " + logFile + ": " + e.getMessage() + ")";
      }
    }

    @Override
    public String toString() {
      return "node " + index + " " + address();
    }
  }

  private static boolean accepts(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(
              hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
          1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
