package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Three sidecar processes forming one cluster of three voters on the given loopback hosts, with the
 * same extra flags each (e.g. TLS): the fixture of the proxy's flood tests. Closing kills the
 * processes, prints their log tails and removes their directories.
 */
final class SidecarCluster implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CLUSTER_UP = Duration.ofSeconds(120);

  private final List<SidecarProcess> sidecars = new ArrayList<>();
  private final Path base;

  private SidecarCluster(Path base) {
    this.base = base;
  }

  /** Starts the three processes and waits until each is ready and sees three voters. */
  static SidecarCluster start(String name, String[] hosts, List<String> extra) throws IOException {
    Engine[] engines = new Engine[hosts.length];
    java.util.Arrays.fill(engines, Engine.fromProperty());
    return start(name, hosts, engines, extra);
  }

  /** As {@link #start(String, String[], List)}, node {@code i} on {@code engines[i]}. */
  static SidecarCluster start(String name, String[] hosts, Engine[] engines, List<String> extra)
      throws IOException {
    Path root = Path.of("target", "sidecar-it").toAbsolutePath();
    Files.createDirectories(root);
    SidecarCluster c = new SidecarCluster(Files.createTempDirectory(root, name + "-"));
    String tag = ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(100_000);
    try {
      for (int i = 0; i < hosts.length; i++) {
        c.sidecars.add(
            new SidecarProcess(
                hosts[i], c.base, "@dqlite-" + name + "-" + tag + "-" + i, extra, engines[i]));
      }
      List<String> join = List.of(c.sidecars.get(0).address());
      for (SidecarProcess s : c.sidecars) {
        s.start(join);
      }
      await("three ready sidecars")
          .atMost(CLUSTER_UP)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                for (SidecarProcess s : c.sidecars) {
                  assertThat(s.isAlive()).as(s + " alive\n" + s.logTail(30)).isTrue();
                  assertThat(s.get("/readyz").status()).as(s + " /readyz").isEqualTo(200);
                  assertThat(cluster(s).get("members").size()).as(s + " members").isEqualTo(3);
                }
              });
      return c;
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  /** The base directory, for files the test writes beside the nodes' directories. */
  Path base() {
    return base;
  }

  List<SidecarProcess> sidecars() {
    return sidecars;
  }

  /** The leader as the first sidecar's /cluster names it. */
  SidecarProcess leader() throws IOException {
    return byAddress(leaderAddress());
  }

  String leaderAddress() throws IOException {
    return cluster(sidecars.get(0)).get("leader").get("address").asText();
  }

  /** Some sidecar that is not the leader. */
  SidecarProcess follower() throws IOException {
    String leader = leaderAddress();
    return sidecars.stream().filter(s -> !s.address().equals(leader)).findFirst().orElseThrow();
  }

  SidecarProcess byAddress(String address) {
    return sidecars.stream()
        .filter(s -> s.address().equals(address))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no sidecar at " + address));
  }

  /** A JDBC connection through {@code s}'s app socket to database {@code db}. */
  /** Runs one statement on database {@code db} through the first sidecar's app socket. */
  void execute(String db, String sql) throws SQLException {
    try (Connection c = jdbc(sidecars.get(0), db);
        java.sql.Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static Connection jdbc(SidecarProcess s, String db) throws SQLException {
    return DriverManager.getConnection("jdbc:dqlite://" + s.socket() + "/" + db);
  }

  static JsonNode cluster(SidecarProcess s) throws IOException {
    SidecarProcess.Answer a = s.get("/cluster");
    if (a.status() != 200) {
      throw new IOException(s + " /cluster answered " + a.status() + ": " + a.body());
    }
    return JSON.readTree(a.body());
  }

  /** Threads, resident memory and open descriptors of a process, from /proc. */
  record ProcStats(int threads, long rssKiB, int fds) {

    static ProcStats of(SidecarProcess s) {
      long pid = s.process().pid();
      try {
        int threads = -1;
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("Threads:")) {
            threads = Integer.parseInt(line.substring(8).trim());
          } else if (line.startsWith("VmRSS:")) {
            rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
          }
        }
        int fds;
        try (Stream<Path> list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
          fds = (int) list.count();
        }
        return new ProcStats(threads, rss, fds);
      } catch (IOException e) {
        throw new UncheckedIOException("read /proc/" + pid + " of " + s, e);
      }
    }
  }

  /**
   * A process's threads, RSS and descriptors when it was made, and their peaks over the samples
   * taken since ({@link #run}, e.g. between batches of a flood).
   */
  static final class Peaks implements Runnable {
    private final SidecarProcess process;
    private final ProcStats before;
    private int threads;
    private long rssKiB;
    private int fds;

    Peaks(SidecarProcess process) {
      this.process = process;
      this.before = ProcStats.of(process);
      this.threads = before.threads();
      this.rssKiB = before.rssKiB();
      this.fds = before.fds();
    }

    /** Takes a sample. */
    @Override
    public synchronized void run() {
      ProcStats now = ProcStats.of(process);
      threads = Math.max(threads, now.threads());
      rssKiB = Math.max(rssKiB, now.rssKiB());
      fds = Math.max(fds, now.fds());
    }

    ProcStats before() {
      return before;
    }

    synchronized int maxThreads() {
      return threads;
    }

    @Override
    public synchronized String toString() {
      return "threads %d -> max %d, RSS %d -> max %d KiB, fds %d -> max %d"
          .formatted(before.threads(), threads, before.rssKiB(), rssKiB, before.fds(), fds);
    }
  }

  @Override
  public void close() throws IOException {
    for (SidecarProcess s : sidecars) {
      s.kill();
      System.out.println("---- " + s + "\n" + s.logTail(40));
    }
    if (!Boolean.getBoolean("dqlite.it.keep")) {
      try (Stream<Path> paths = Files.walk(base)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
