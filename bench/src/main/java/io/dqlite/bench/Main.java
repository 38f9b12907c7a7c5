package io.dqlite.bench;

import io.dqlite.client.jdbc.DqliteTransactions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The benchmark's command line; bench/run.sh drives it. */
@Command(
    name = "dqlite-bench",
    mixinStandardHelpOptions = true,
    description = "This client's side of the benchmark against go-dqlite's dqlite-benchmark.",
    subcommands = {
      Main.Run.class,
      Main.Pool.class,
      Main.Leader.class,
      Main.AwaitReady.class,
      Main.Transfer.class,
      Main.Reset.class,
      Main.Place.class,
      Main.Prepare.class,
      Main.Rtt.class,
      Main.ReportCommand.class
    })
public final class Main implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 2;
  }

  static List<String> split(String nodes) {
    List<String> out = new ArrayList<>();
    for (String n : nodes.split(",")) {
      if (!n.isBlank()) {
        out.add(n.strip());
      }
    }
    return out;
  }

  @Command(
      name = "run",
      description = "Runs a workload through the JDBC driver; prints one result line (TSV).")
  static final class Run implements Callable<Integer> {
    @Option(
        names = "--nodes",
        required = true,
        description =
            "Node addresses, in the order the client tries them (the first is asked first).")
    String nodes;

    @Option(names = "--database", defaultValue = "benchmark")
    String database;

    @Option(names = "--workload", defaultValue = "kvwrite", description = "kvwrite or kvreadwrite")
    String workload;

    @Mixin LoadShape shape;

    @Option(
        names = "--mode",
        defaultValue = "TRANSACTION",
        description =
            "TRANSACTION (DqliteTransactions.inTransaction, default) or AUTOCOMMIT"
                + " (DqliteTransactions.inAutoCommit).")
    WriteMode mode;

    @Option(
        names = "--url-params",
        description =
            "Driver properties in URL form, e.g. transactionMode=IMMEDIATE&busyTimeout=0;"
                + " default: the driver's defaults.")
    String urlParams;

    @Option(
        names = "--initial-backoff-ms",
        description = "DqliteTransactions.Policy initialBackoff; default: the policy's default.")
    Long initialBackoffMs;

    @Option(
        names = "--max-backoff-ms",
        description = "DqliteTransactions.Policy maxBackoff; default: the policy's default.")
    Long maxBackoffMs;

    @Option(names = "--placement", defaultValue = "leader", description = "Label for the report.")
    String placement;

    @Option(names = "--header", description = "Print the TSV header line first.")
    boolean header;

    @Option(names = "--samples", description = "Also write every sample here, for `pool`.")
    Path samples;

    @Override
    public Integer call() throws Exception {
      shape.check(this);
      String url = "jdbc:dqlite://" + String.join(",", split(nodes)) + "/" + database;
      if (urlParams != null && !urlParams.isBlank()) {
        url += "?" + urlParams;
      }
      DqliteTransactions.Policy d = DqliteTransactions.Policy.defaults();
      DqliteTransactions.Policy policy =
          new DqliteTransactions.Policy(
              d.maxAttempts(),
              initialBackoffMs == null ? d.initialBackoff() : Duration.ofMillis(initialBackoffMs),
              maxBackoffMs == null ? d.maxBackoff() : Duration.ofMillis(maxBackoffMs),
              d.timeout(),
              d.retryUnknownOutcome());
      RunData data =
          new JavaBenchmark(
                  new JavaBenchmark.Options(
                      url,
                      KvWorkload.parse(workload),
                      shape.workers,
                      Duration.ofSeconds(shape.duration),
                      Duration.ofSeconds(shape.warmup),
                      mode,
                      policy,
                      placement,
                      shape.seed))
              .run();
      if (samples != null) {
        data.write(samples);
      }
      Result r = data.toResult("java", KvWorkload.parse(workload), shape.workers, placement);
      if (header) {
        System.out.println(Result.HEADER);
      }
      System.out.println(r.toTsv());
      return 0;
    }
  }

  @Command(
      name = "pool",
      description =
          "Pools the slices of one configuration: dqlite-benchmark result directories and the"
              + " sample files of `run --samples`; prints one result line (TSV) per side.")
  static final class Pool implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--workers", required = true)
    int workers;

    @Option(names = "--placement", required = true)
    String placement;

    @Option(names = "--go", description = "A go slice: DIR/ADDR/results of one driver run.")
    List<Path> go = new ArrayList<>();

    @Option(
        names = "--go-seconds",
        defaultValue = "0",
        description = "Measured seconds of each go slice (its --duration minus the warm-up).")
    int goSeconds;

    @Option(
        names = "--warmup",
        defaultValue = "0",
        description = "Seconds from a go slice's first operation that are not measured.")
    int warmup;

    @Option(names = "--java", description = "A Java slice: a file written by run --samples.")
    List<Path> java = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      KvWorkload w = KvWorkload.parse(workload);
      if (!go.isEmpty()) {
        if (goSeconds < 1) {
          throw new CommandLine.ParameterException(
              new CommandLine(this), "--go-seconds is needed with --go");
        }
        RunData pooled = new RunData();
        for (Path dir : go) {
          pooled.add(RunData.fromGo(dir, goSeconds, Duration.ofSeconds(warmup).toNanos()));
        }
        System.out.println(pooled.toResult("go", w, workers, placement).toTsv());
      }
      if (!java.isEmpty()) {
        RunData pooled = new RunData();
        for (Path file : java) {
          pooled.add(RunData.read(file));
        }
        System.out.println(pooled.toResult("java", w, workers, placement).toTsv());
      }
      return 0;
    }
  }

  @Command(name = "leader", description = "Prints the leader's address.")
  static final class Leader implements Callable<Integer> {
    @Option(names = "--nodes", required = true)
    String nodes;

    @Override
    public Integer call() throws Exception {
      System.out.println(new ClusterTool(split(nodes)).leader());
      return 0;
    }
  }

  @Command(
      name = "await-ready",
      description =
          "Waits until every node is a voter that names the leader; prints the leader's address.")
  static final class AwaitReady implements Callable<Integer> {
    @Option(names = "--nodes", required = true)
    String nodes;

    @Option(names = "--timeout", defaultValue = "60", description = "Seconds.")
    int timeout;

    @Override
    public Integer call() throws Exception {
      System.out.println(new ClusterTool(split(nodes)).awaitReady(Duration.ofSeconds(timeout)));
      return 0;
    }
  }

  @Command(name = "transfer", description = "Moves the leadership to a node and waits for it.")
  static final class Transfer implements Callable<Integer> {
    @Option(names = "--nodes", required = true)
    String nodes;

    @Option(names = "--to", required = true)
    String to;

    @Option(names = "--timeout", defaultValue = "30", description = "Seconds.")
    int timeout;

    @Override
    public Integer call() throws Exception {
      new ClusterTool(split(nodes)).transferTo(to, Duration.ofSeconds(timeout));
      return 0;
    }
  }

  @Command(
      name = "place",
      description =
          "Waits until the nodes agree on a leader, waits --settle seconds, then moves the"
              + " leadership to --to.")
  static final class Place implements Callable<Integer> {
    @Option(names = "--nodes", required = true)
    String nodes;

    @Option(names = "--to", required = true)
    String to;

    @Option(names = "--settle", defaultValue = "0", description = "Seconds.")
    int settle;

    @Option(names = "--timeout", defaultValue = "30", description = "Seconds, for each step.")
    int timeout;

    @Override
    public Integer call() throws Exception {
      ClusterTool tool = new ClusterTool(split(nodes));
      tool.awaitAgreement(Duration.ofSeconds(timeout));
      Thread.sleep(Duration.ofSeconds(settle).toMillis());
      tool.transferTo(to, Duration.ofSeconds(timeout));
      return 0;
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
      new ClusterTool(split(nodes)).resetTable(database);
      return 0;
    }
  }

  @Command(
      name = "prepare",
      description =
          "Before a run: waits until the cluster is ready, empties the benchmark table, prints the"
              + " leader's address.")
  static final class Prepare implements Callable<Integer> {
    @Option(names = "--nodes", required = true)
    String nodes;

    @Option(names = "--database", defaultValue = "benchmark")
    String database;

    @Option(names = "--timeout", defaultValue = "60", description = "Seconds.")
    int timeout;

    @Override
    public Integer call() throws Exception {
      ClusterTool tool = new ClusterTool(split(nodes));
      tool.awaitReady(Duration.ofSeconds(timeout));
      tool.resetTable(database);
      System.out.println(tool.awaitReady(Duration.ofSeconds(timeout)));
      return 0;
    }
  }

  @Command(
      name = "rtt",
      description =
          "Diagnostic: round trips of single protocol requests to the leader, with CPU per"
              + " request.")
  static final class Rtt implements Callable<Integer> {
    @Option(names = "--nodes", required = true)
    String nodes;

    @Option(names = "--count", defaultValue = "2000")
    int count;

    @Override
    public Integer call() throws Exception {
      new RoundTrips(split(nodes), count).run();
      return 0;
    }
  }

  @Command(
      name = "report",
      description =
          "Prints the comparison of the result lines and rewrites the results section of a"
              + " markdown file.")
  static final class ReportCommand implements Callable<Integer> {
    @Option(names = "--results", required = true, description = "TSV result lines of both sides.")
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

    @Option(names = "--command", defaultValue = "make bench")
    String command;

    @Option(names = "--duration-note", defaultValue = "-")
    String durationNote;

    @Override
    public Integer call() throws Exception {
      List<Result> rs = new ArrayList<>();
      for (String line : Files.readAllLines(results)) {
        if (!line.isBlank() && !line.startsWith("impl\t")) {
          rs.add(Result.parseTsv(line));
        }
      }
      List<Report.Pair> pairs = Report.pair(rs);
      System.out.print(Report.text(pairs));
      if (doc != null) {
        String section =
            Report.markdown(
                pairs,
                new Report.Meta(
                    date, commit, machine, loadBefore, loadAfter, command, durationNote));
        Files.writeString(doc, Report.replaceSection(Files.readString(doc), section));
        System.out.println("results written to " + doc);
      }
      return 0;
    }
  }
}
