package io.dqlite.sidecar.bench;

import ch.qos.logback.classic.Level;
import io.dqlite.client.Client;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.sidecar.app.App;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * The write-unavailability window when the leader stops, for this project's App and for go-dqlite's
 * {@code dqlite-demo}, in one run (bench/handover.sh; results in docs/benchmarks.md, "Handover
 * window"). Not a test.
 *
 * <p>Each side is a 4-node cluster on loopback (3 voters and a stand-by), with go-dqlite's default
 * roles adjustment period (30 s) on both, so that no adjustment races the handover. One writer,
 * this project's JDBC driver with the URL listing all four nodes, commits one row after the other
 * (auto-commit {@code INSERT}); on an error it counts it, drops its connection and opens a new one
 * at once. In each round the leader is stopped, the window is the longest gap between two
 * successful commits around the stop, and the node is started again from its directory before the
 * next round. Scenarios: the App with {@code handover()} then {@code close()}; dqlite-demo with
 * SIGTERM (it hands over, then closes); and, for contrast, the App with {@code close()} alone and
 * dqlite-demo with SIGKILL (no handover: the cluster waits for an election).
 */
public final class HandoverBench {

  private static final Duration STEADY = Duration.ofSeconds(120);

  /**
   * go-dqlite's roles adjustment period, after which every node has written the full membership to
   * its cluster.yaml (a node restarted with an older list that names only itself cannot find the
   * leader again: canonical/go-dqlite#388).
   */
  private static final Duration TICK = Duration.ofSeconds(32);

  /**
   * With {@code -Dhandover.bench.settle=true}, a round also waits until every node answers a
   * describe request within {@link #SETTLE_LATENCY}, {@link #SETTLE_PASSES} passes in a row: a node
   * restarted in the round before may still be applying the entries it missed, on dqlite's one
   * event-loop thread, and then answers nothing for seconds on a loaded machine.
   */
  private static final boolean SETTLE = Boolean.getBoolean("handover.bench.settle");

  private static final Duration SETTLE_LATENCY = Duration.ofMillis(200);
  private static final int SETTLE_PASSES = 3;

  /** Writes keep being measured this long after the stop completed. */
  private static final Duration AFTER = Duration.ofSeconds(3);

  private final Path work;
  private final int rounds;

  private HandoverBench(Path work, int rounds) {
    this.work = work;
    this.rounds = rounds;
  }

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.dqlite"))
        .setLevel(Level.toLevel(System.getProperty("handover.bench.log", "WARN")));
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    String scenarios =
        args.length > 1 ? args[1] : "app-handover,demo-sigterm,app-close,demo-sigkill";
    Path work = Files.createTempDirectory("dqlite-handover-bench");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work)));
    HandoverBench bench = new HandoverBench(work, rounds);
    List<String> lines = new ArrayList<>();
    lines.add(
        "| Scenario | Rounds | Window median (ms) | Window p90 (ms) | Window max (ms) "
            + "| Stop took, median (ms) | Errors seen by the writer | Writes/s before the stop |");
    lines.add("|---|---|---|---|---|---|---|---|");
    List<String> windows = new ArrayList<>();
    for (String scenario : scenarios.split(",")) {
      Summary summary =
          switch (scenario) {
            case "app-handover" -> bench.runApp(true, "127.0.7.30");
            case "app-close" -> bench.runApp(false, "127.0.7.32");
            case "demo-sigterm" -> bench.runDemo(true, "127.0.7.31");
            case "demo-sigkill" -> bench.runDemo(false, "127.0.7.33");
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
          };
      lines.add(summary.row(scenario));
      windows.add(scenario + ": " + summary.windows());
      System.err.println("handover-bench: " + summary.row(scenario));
    }
    lines.forEach(System.out::println);
    System.out.println();
    System.out.println("Windows of every round, in ms:");
    windows.forEach(w -> System.out.println("- " + w));
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("handover-bench: could not delete " + root + ": " + e);
    }
  }

  // ---- the App ----

  private Summary runApp(boolean handover, String host) throws Exception {
    List<App> apps = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    Summary summary = new Summary();
    try {
      for (int i = 0; i < 4; i++) {
        Path dir = work.resolve("app-" + host + "-" + i);
        String address = host + ":" + freePort(host);
        App app = App.builder(dir).address(address).cluster(addresses).standBys(1).build();
        app.ready(STEADY);
        apps.add(app);
        dirs.add(dir);
        addresses.add(address);
      }
      TimeUnit.MILLISECONDS.sleep(TICK.toMillis());
      try (Writer writer = new Writer(addresses)) {
        for (int round = 0; round < rounds; round++) {
          awaitSteady(addresses);
          awaitResponsive(addresses);
          String leader = leaderOf(addresses);
          int index = addresses.indexOf(leader);
          App app = apps.get(index);
          writer.mark();
          TimeUnit.SECONDS.sleep(1);
          long t0 = System.nanoTime();
          if (handover) {
            app.handover(Duration.ofMinutes(1));
          }
          app.close();
          long t1 = System.nanoTime();
          summary.add(writer.measure(t0, t1), t1 - t0);
          System.err.println(
              "handover-bench: round " + round + " stopped " + leader + ": " + summary.last());
          App again = App.builder(dirs.get(index)).build();
          apps.set(index, again);
          again.ready(STEADY);
        }
      }
    } finally {
      for (App app : apps) {
        app.close();
      }
    }
    return summary;
  }

  // ---- dqlite-demo ----

  private Summary runDemo(boolean sigterm, String host) throws Exception {
    List<Demo> demos = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    Summary summary = new Summary();
    try {
      for (int i = 0; i < 4; i++) {
        String address = host + ":" + freePort(host);
        Demo demo = Demo.start(work.resolve("demo-" + host), address, addresses);
        demos.add(demo);
        demo.awaitUp();
        addresses.add(address);
      }
      TimeUnit.MILLISECONDS.sleep(TICK.toMillis());
      try (Writer writer = new Writer(addresses)) {
        for (int round = 0; round < rounds; round++) {
          awaitSteady(addresses);
          awaitResponsive(addresses);
          int index = addresses.indexOf(leaderOf(addresses));
          Demo demo = demos.get(index);
          writer.mark();
          TimeUnit.SECONDS.sleep(1);
          long t0 = System.nanoTime();
          if (sigterm) {
            demo.stop();
          } else {
            demo.kill();
          }
          long t1 = System.nanoTime();
          summary.add(writer.measure(t0, t1), t1 - t0);
          System.err.println(
              "handover-bench: round "
                  + round
                  + " stopped "
                  + demo.address
                  + ": "
                  + summary.last());
          Demo again = Demo.start(demo.dir, demo.address, List.of());
          demos.set(index, again);
          again.awaitUp();
        }
      }
    } finally {
      for (Demo demo : demos) {
        demo.kill();
      }
    }
    return summary;
  }

  // ---- common ----

  private static ConnectorConfig admin() {
    return ConnectorConfig.builder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  private static String leaderOf(List<String> addresses) throws Exception {
    try (Client client =
        Client.findLeader(InMemoryNodeStore.of(addresses.toArray(String[]::new)), admin())) {
      return client.address();
    }
  }

  /** Waits until 3 voters and 1 stand-by, every node listed. */
  private static void awaitSteady(List<String> addresses) throws Exception {
    long deadline = System.nanoTime() + STEADY.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try (Client client =
          Client.findLeader(InMemoryNodeStore.of(addresses.toArray(String[]::new)), admin())) {
        List<NodeInfo> members = client.cluster();
        long voters = members.stream().filter(n -> n.role() == NodeRole.VOTER).count();
        long standBys = members.stream().filter(n -> n.role() == NodeRole.STANDBY).count();
        if (members.size() == 4 && voters == 3 && standBys == 1) {
          return;
        }
        last = members.toString();
      } catch (Exception e) {
        last = e.getMessage();
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new IllegalStateException("cluster not steady after " + STEADY + ": " + last);
  }

  private static void awaitResponsive(List<String> addresses) throws Exception {
    if (!SETTLE) {
      return;
    }
    ConnectorConfig config =
        ConnectorConfig.builder()
            .dialTimeout(Duration.ofSeconds(1))
            .requestTimeout(Duration.ofSeconds(1))
            .build();
    long deadline = System.nanoTime() + STEADY.toNanos();
    int passes = 0;
    String slow = "";
    while (passes < SETTLE_PASSES) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("nodes not responsive after " + STEADY + ": " + slow);
      }
      boolean all = true;
      for (String address : addresses) {
        long t = System.nanoTime();
        try (Client client = Client.connect(address, config)) {
          client.describe();
        } catch (Exception e) {
          all = false;
          slow = address + ": " + e.getMessage();
          continue;
        }
        if (System.nanoTime() - t > SETTLE_LATENCY.toNanos()) {
          all = false;
          slow = address + " took " + (System.nanoTime() - t) / 1_000_000 + " ms";
        }
      }
      passes = all ? passes + 1 : 0;
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      return socket.getLocalPort();
    }
  }

  /** One writer thread committing rows back to back; keeps the commit times. */
  private static final class Writer implements AutoCloseable {
    private final String url;
    private final List<Long> commits = new ArrayList<>();
    private final AtomicInteger errors = new AtomicInteger();

    /** Time and message of each error, for what the writer saw around a stop. */
    private final List<Map.Entry<Long, String>> errorLog = new ArrayList<>();

    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private int errorsAtMark;

    Writer(List<String> addresses) throws SQLException {
      this.url = "jdbc:dqlite://" + String.join(",", addresses) + "/bench";
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)");
      }
      thread = new Thread(this::run, "handover-bench-writer");
      thread.start();
    }

    private void run() {
      Connection connection = null;
      PreparedStatement insert = null;
      while (!stop.get()) {
        try {
          if (connection == null) {
            connection = DriverManager.getConnection(url);
            insert = connection.prepareStatement("INSERT INTO t (v) VALUES ('x')");
          }
          insert.executeUpdate();
          long now = System.nanoTime();
          synchronized (commits) {
            commits.add(now);
          }
        } catch (SQLException e) {
          errors.incrementAndGet();
          synchronized (errorLog) {
            errorLog.add(Map.entry(System.nanoTime(), e.getSQLState() + " " + e.getMessage()));
          }
          if (connection != null) {
            try {
              connection.close();
            } catch (SQLException ignored) {
              // Replaced below.
            }
          }
          connection = null;
        }
      }
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException ignored) {
          // Done.
        }
      }
    }

    /** Forgets the commits so far, keeping the last one, and counts errors from now on. */
    void mark() {
      synchronized (commits) {
        if (commits.size() > 1) {
          long last = commits.get(commits.size() - 1);
          commits.clear();
          commits.add(last);
        }
      }
      errorsAtMark = errors.get();
      synchronized (errorLog) {
        errorLog.clear();
      }
    }

    /** After the stop [t0, t1]: waits AFTER, then the longest gap around it. */
    Round measure(long t0, long t1) throws InterruptedException {
      long until = t1 + AFTER.toNanos();
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (System.nanoTime() < deadline) {
        synchronized (commits) {
          if (!commits.isEmpty() && commits.get(commits.size() - 1) > until) {
            break;
          }
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
      long[] times;
      synchronized (commits) {
        times = commits.stream().mapToLong(Long::longValue).toArray();
      }
      long window = 0;
      int before = 0;
      for (int i = 1; i < times.length; i++) {
        if (times[i] > t0 && times[i - 1] < until) {
          window = Math.max(window, times[i] - times[i - 1]);
        }
        if (times[i] <= t0) {
          before++;
        }
      }
      if (times.length == 0 || times[times.length - 1] <= until) {
        window = Long.MAX_VALUE; // no write went through within 120 s
      }
      return new Round(
          window,
          errors.get() - errorsAtMark,
          before,
          times.length > 0 ? t0 - times[0] : 0,
          seen(t0));
    }

    /** The errors since the mark, with their time relative to the stop's start (at most 5). */
    private String seen(long t0) {
      synchronized (errorLog) {
        return errorLog.stream()
            .limit(5)
            .map(
                e ->
                    String.format(
                        Locale.ROOT, "%+d ms %s", (e.getKey() - t0) / 1_000_000, e.getValue()))
            .collect(Collectors.joining("; "));
      }
    }

    @Override
    public void close() {
      stop.set(true);
      try {
        thread.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One round: the window, errors, and the write rate between mark and stop. */
  private record Round(
      long windowNanos, int errors, int writesBefore, long markToStopNanos, String seen) {
    @Override
    public String toString() {
      return "window "
          + windowNanos / 1_000_000
          + " ms, "
          + errors
          + " error(s), "
          + writesBefore
          + " writes in the "
          + markToStopNanos / 1_000_000
          + " ms before"
          + (seen.isEmpty() ? "" : "; the writer saw: " + seen);
    }
  }

  private static final class Summary {
    private final List<Long> windows = new ArrayList<>();
    private final List<Long> stops = new ArrayList<>();
    private final List<Integer> errors = new ArrayList<>();
    private final List<Double> rates = new ArrayList<>();

    private Round last;

    Round last() {
      return last;
    }

    void add(Round round, long stopNanos) {
      last = round;
      windows.add(round.windowNanos());
      stops.add(stopNanos);
      errors.add(round.errors());
      if (round.markToStopNanos() > 0) {
        rates.add(round.writesBefore() / (round.markToStopNanos() / 1e9));
      }
    }

    String row(String scenario) {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %s | %s | %s | %s | %s | %s |",
          scenario,
          windows.size(),
          ms(median(windows)),
          ms(percentile(windows, 90)),
          ms(max(windows)),
          ms(median(stops)),
          errors.stream().map(String::valueOf).collect(Collectors.joining(", ")),
          rates.isEmpty()
              ? "n/a"
              : String.format(
                  Locale.ROOT,
                  "%.0f",
                  rates.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
    }

    String windows() {
      return windows.stream().map(Summary::ms).collect(Collectors.joining(", "));
    }

    private static long median(List<Long> values) {
      long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
      return sorted.length == 0 ? 0 : sorted[(sorted.length - 1) / 2];
    }

    /** Nearest-rank percentile. */
    private static long percentile(List<Long> values, int p) {
      long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length == 0) {
        return 0;
      }
      int rank = (int) Math.ceil(p / 100.0 * sorted.length);
      return sorted[Math.max(0, rank - 1)];
    }

    private static long max(List<Long> values) {
      return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static String ms(long nanos) {
      return nanos == Long.MAX_VALUE ? "> 120000" : String.valueOf(nanos / 1_000_000);
    }
  }

  /** A dqlite-demo process; its API listens once its App is ready. */
  private static final class Demo {
    final Path dir;
    final String address;
    private final String api;
    private final Process process;

    private Demo(Path dir, String address, String api, Process process) {
      this.dir = dir;
      this.address = address;
      this.api = api;
      this.process = process;
    }

    static Demo start(Path dir, String address, List<String> join) throws IOException {
      String host = address.substring(0, address.lastIndexOf(':'));
      String api = host + ":" + freePort(host);
      List<String> command =
          new ArrayList<>(
              Arrays.asList("dqlite-demo", "-a", api, "-d", address, "-D", dir.toString()));
      for (String j : join) {
        command.add("-j");
        command.add(j);
      }
      Files.createDirectories(dir);
      Path log = dir.resolve(address.replace(':', '_') + ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new Demo(dir, address, api, process);
    }

    void awaitUp() throws Exception {
      long deadline = System.nanoTime() + STEADY.toNanos();
      int colon = api.lastIndexOf(':');
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("dqlite-demo " + address + " exited");
        }
        try (Socket socket = new Socket()) {
          socket.connect(
              new InetSocketAddress(
                  api.substring(0, colon), Integer.parseInt(api.substring(colon + 1))),
              1000);
          return;
        } catch (IOException e) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
      }
      throw new IllegalStateException("dqlite-demo " + address + " not up after " + STEADY);
    }

    /** SIGTERM: the demo hands over and closes. */
    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }

    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
