package io.dqlite.bench.sidecar;

import io.dqlite.bench.KvWorkload;
import io.dqlite.bench.LoadShape;
import io.dqlite.client.Client;
import io.dqlite.client.jdbc.DqliteDataSource;
import io.dqlite.client.jdbc.DqliteTransactions;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The sidecar benchmark's command line; bench/sidecar.sh drives it (see docs/benchmarks.md). */
@Command(
    name = "sidecar-bench",
    mixinStandardHelpOptions = true,
    description = "App socket versus direct TCP, and resident memory, of the sidecar.",
    subcommands = {
      SidecarBench.Run.class,
      SidecarBench.Compare.class,
      SidecarBench.Await.class,
      SidecarBench.Reset.class,
      SidecarBench.Report.class
    })
public final class SidecarBench implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(new CommandLine(new SidecarBench()).execute(args));
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 2;
  }

  static List<String> split(String list) {
    List<String> out = new ArrayList<>();
    for (String s : list.split(",")) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  /** "name=pid,..." and this process as {@link SidecarReport#CLIENT}. */
  static Map<String, Long> pids(String list) {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String p : split(list)) {
      String[] kv = p.split("=", 2);
      pids.put(kv[0], Long.parseLong(kv[1]));
    }
    pids.put(SidecarReport.CLIENT, ProcessHandle.current().pid());
    return pids;
  }

  static void writeSeries(Path file, String cluster, String path, int workers, RssSampler sampler)
      throws java.io.IOException {
    if (file == null) {
      return;
    }
    List<String> out = new ArrayList<>();
    for (String s : sampler.series()) {
      out.add(String.join("\t", cluster, path, Integer.toString(workers), s));
    }
    Files.write(
        file, out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static ConnectorConfig adminConfig() {
    return ConnectorConfig.builder()
        .dialTimeout(Duration.ofSeconds(2))
        .attemptTimeout(Duration.ofSeconds(3))
        .connectTimeout(Duration.ofSeconds(20))
        .requestTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Command(name = "run", description = "Runs the write load; prints a run line and rss lines.")
  static final class Run implements Callable<Integer> {
    @Mixin LoadShape shape;

    @Mixin WriteKind write;

    @Option(names = "--url", required = true, description = "JDBC URL the workers connect to.")
    String url;

    @Option(names = "--cluster", required = true, description = "sidecar or dqlite-demo")
    String cluster;

    @Option(names = "--path", required = true, description = "Label: how the leader is reached.")
    String path;

    @Option(
        names = "--rss",
        defaultValue = "",
        description = "Processes to sample: name=pid,name=pid (VmRSS every 250 ms).")
    String rss;

    @Option(
        names = "--rate",
        defaultValue = "0",
        description = "Writes per second, all workers together, paced; 0: unpaced.")
    double rate;

    @Option(names = "--series", description = "Appends every RSS sample here (TSV), if given.")
    Path series;

    @Override
    public Integer call() throws Exception {
      shape.check(this);
      Map<String, Long> pids = pids(rss);
      WriteLoad.Outcome o;
      List<RssSampler.Summary> memory;
      try (RssSampler sampler = new RssSampler(pids, 250)) {
        sampler.start();
        o =
            new WriteLoad(
                    new WriteLoad.Options(
                        url,
                        shape.workers,
                        Duration.ofSeconds(shape.warmup),
                        Duration.ofSeconds(shape.duration),
                        shape.seed,
                        rate,
                        write.kind(this)))
                .run(sampler::measuring);
        sampler.close();
        memory = sampler.summary();
        writeSeries(series, cluster, path, shape.workers, sampler);
      }
      String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
      System.out.println(
          new Line.Run(
                  cluster,
                  path,
                  shape.workers,
                  o.seconds(),
                  o.writes(),
                  o.errors(),
                  o.retries(),
                  o.latency().avgMs(),
                  o.latency().p50Ms(),
                  o.latency().p99Ms(),
                  o.latency().maxMs(),
                  load,
                  o.firstError())
              .toTsv());
      for (RssSampler.Summary s : memory) {
        System.out.println(
            new Line.Rss(
                    cluster,
                    path,
                    shape.workers,
                    s.name(),
                    s.pid(),
                    s.startKib(),
                    s.steadyKib(),
                    s.peakKib(),
                    s.cpuMillis())
                .toTsv());
      }
      return 0;
    }
  }

  @Command(
      name = "compare",
      description =
          "Runs the write load over several paths in one run, taking turns in slices; prints a"
              + " run line and rss lines per path.")
  static final class Compare implements Callable<Integer> {
    @Mixin LoadShape shape;

    @Mixin WriteKind write;

    @Option(names = "--path", required = true, description = "name=JDBC URL; repeat per path.")
    List<String> paths;

    @Option(names = "--cluster", required = true, description = "sidecar or dqlite-demo")
    String cluster;

    @Option(names = "--slice-ms", defaultValue = "2000", description = "One turn, milliseconds.")
    long sliceMillis;

    @Option(
        names = "--rss",
        defaultValue = "",
        description = "Processes to sample: name=pid,name=pid (VmRSS every 250 ms, CPU per slice).")
    String rss;

    @Option(names = "--series", description = "Appends every RSS sample here (TSV), if given.")
    Path series;

    @Override
    public Integer call() throws Exception {
      shape.check(this);
      if (sliceMillis < 100) {
        throw new CommandLine.ParameterException(new CommandLine(this), "slice >= 100 ms");
      }
      List<Interleaved.Path> ps = new ArrayList<>();
      for (String p : paths) {
        String[] kv = p.split("=", 2);
        ps.add(new Interleaved.Path(kv[0], kv[1]));
      }
      Map<String, Long> pids = pids(rss);
      List<Interleaved.PathOutcome> outcomes;
      List<RssSampler.Summary> memory;
      String label = String.join("+", ps.stream().map(Interleaved.Path::name).toList());
      try (RssSampler sampler = new RssSampler(pids, 250)) {
        sampler.start();
        outcomes =
            new Interleaved(
                    new Interleaved.Options(
                        ps,
                        shape.workers,
                        Duration.ofSeconds(shape.warmup),
                        Duration.ofSeconds(shape.duration),
                        Duration.ofMillis(sliceMillis),
                        shape.seed,
                        write.kind(this)))
                .run(pids, sampler::measuring);
        sampler.close();
        memory = sampler.summary();
        writeSeries(series, cluster, label, shape.workers, sampler);
      }
      String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
      for (Interleaved.PathOutcome po : outcomes) {
        WriteLoad.Outcome o = po.outcome();
        System.out.println(
            new Line.Run(
                    cluster,
                    po.path().name(),
                    shape.workers,
                    o.seconds(),
                    o.writes(),
                    o.errors(),
                    o.retries(),
                    o.latency().avgMs(),
                    o.latency().p50Ms(),
                    o.latency().p99Ms(),
                    o.latency().maxMs(),
                    load,
                    o.firstError())
                .toTsv());
        for (RssSampler.Summary s : memory) {
          System.out.println(
              new Line.Rss(
                      cluster,
                      po.path().name(),
                      shape.workers,
                      s.name(),
                      s.pid(),
                      s.startKib(),
                      s.steadyKib(),
                      s.peakKib(),
                      po.cpuMillis().getOrDefault(s.name(), -1L))
                  .toTsv());
        }
      }
      return 0;
    }
  }

  @Command(
      name = "await",
      description = "Waits until every node is a voter naming one leader; prints its address.")
  static final class Await implements Callable<Integer> {
    @Option(names = "--nodes", required = true)
    String nodes;

    @Option(names = "--timeout", defaultValue = "90", description = "Seconds.")
    int timeout;

    @Override
    public Integer call() throws Exception {
      List<String> all = split(nodes);
      ConnectorConfig config = adminConfig();
      long deadline = System.nanoTime() + Duration.ofSeconds(timeout).toNanos();
      String last = "nothing checked yet";
      while (true) {
        try (Client c =
            Client.findLeader(InMemoryNodeStore.of(all.toArray(String[]::new)), config)) {
          String leader = c.address();
          List<NodeInfo> members = c.cluster();
          long voters =
              members.stream()
                  .filter(n -> n.role() == NodeRole.VOTER && all.contains(n.address()))
                  .count();
          if (voters == all.size() && everyNodeNames(all, leader, config)) {
            System.out.println(leader);
            return 0;
          }
          last = "leader " + leader + ", members " + members;
        } catch (DqliteException e) {
          last = e.getMessage();
        }
        if (System.nanoTime() > deadline) {
          System.err.println("cluster " + all + " not ready within " + timeout + " s: " + last);
          return 1;
        }
        Thread.sleep(250);
      }
    }

    private static boolean everyNodeNames(List<String> all, String leader, ConnectorConfig cfg) {
      for (String node : all) {
        try (Client c = Client.connect(node, cfg)) {
          Optional<NodeInfo> l = c.leader();
          if (l.isEmpty() || !l.get().address().equals(leader)) {
            return false;
          }
        } catch (DqliteException e) {
          return false;
        }
      }
      return true;
    }
  }

  @Command(name = "reset", description = "Drops and re-creates the benchmark table.")
  static final class Reset implements Callable<Integer> {
    @Option(names = "--nodes", required = true)
    String nodes;

    @Option(names = "--database", defaultValue = "benchmark")
    String database;

    @Override
    public Integer call() throws Exception {
      DqliteDataSource ds =
          new DqliteDataSource("jdbc:dqlite://" + String.join(",", split(nodes)) + "/" + database);
      try (Connection c = ds.getConnection()) {
        DqliteTransactions.inTransaction(
            c,
            conn -> {
              try (Statement s = conn.createStatement()) {
                s.execute("DROP TABLE IF EXISTS model");
                s.execute(KvWorkload.SCHEMA);
              }
              return null;
            });
      }
      return 0;
    }
  }

  @Command(name = "report", description = "Prints the tables; rewrites the doc's results part.")
  static final class Report implements Callable<Integer> {
    @Option(names = "--results", required = true)
    Path results;

    @Option(names = "--doc", description = "docs/benchmarks.md; not rewritten when absent.")
    Path doc;

    @Option(names = "--date", defaultValue = "-")
    String date;

    @Option(names = "--commit", defaultValue = "-")
    String commit;

    @Option(names = "--machine", defaultValue = "-")
    String machine;

    @Option(names = "--load-before", defaultValue = "-")
    String loadBefore;

    @Option(names = "--load-after", defaultValue = "-")
    String loadAfter;

    @Option(names = "--command", defaultValue = "bash bench/sidecar.sh")
    String command;

    @Option(names = "--note", defaultValue = "")
    String note;

    @Override
    public Integer call() throws Exception {
      List<Line> lines = new ArrayList<>();
      for (String l : Files.readAllLines(results, StandardCharsets.UTF_8)) {
        if (!l.isBlank()) {
          lines.add(Line.parse(l));
        }
      }
      String md =
          new SidecarReport(lines)
              .markdown(
                  new SidecarReport.Meta(
                      date, commit, machine, loadBefore, loadAfter, command, note));
      System.out.println(md);
      if (doc != null) {
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        Files.writeString(doc, SidecarReport.rewrite(text, md), StandardCharsets.UTF_8);
        System.err.println("results written to " + doc);
      }
      return 0;
    }
  }
}
