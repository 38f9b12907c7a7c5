package io.dqlite.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The benchmark's command line; bench/run.sh drives it. */
@Command(
    name = "dqlite-bench",
    mixinStandardHelpOptions = true,
    description = "This client's side of the benchmark against go-dqlite's dqlite-benchmark.",
    subcommands = {
      Main.Run.class,
      Main.GoSummary.class,
      Main.Leader.class,
      Main.AwaitReady.class,
      Main.Transfer.class,
      Main.Reset.class,
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
        description = "Node addresses, in the order the client tries them (the first is asked first).")
    String nodes;

    @Option(names = "--database", defaultValue = "benchmark")
    String database;

    @Option(names = "--workload", defaultValue = "kvwrite", description = "kvwrite or kvreadwrite")
    String workload;

    @Option(names = "--workers", defaultValue = "1")
    int workers;

    @Option(names = "--duration", defaultValue = "20", description = "Measured seconds.")
    int duration;

    @Option(
        names = "--warmup",
        defaultValue = "2",
        description = "Seconds run before measuring (JIT warm-up); errors in it still count.")
    int warmup;

    @Option(
        names = "--mode",
        defaultValue = "TRANSACTION",
        description = "TRANSACTION (DqliteTransactions, default) or AUTOCOMMIT.")
    JavaBenchmark.Mode mode;

    @Option(names = "--placement", defaultValue = "leader", description = "Label for the report.")
    String placement;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--header", description = "Print the TSV header line first.")
    boolean header;

    @Override
    public Integer call() throws Exception {
      if (workers < 1 || workers > 64 || duration < 1 || duration > 3600 || warmup < 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "workers in [1, 64], duration in [1, 3600] s, warmup >= 0");
      }
      String url = "jdbc:dqlite://" + String.join(",", split(nodes)) + "/" + database;
      Result r =
          new JavaBenchmark(
                  new JavaBenchmark.Options(
                      url,
                      KvWorkload.parse(workload),
                      workers,
                      Duration.ofSeconds(duration),
                      Duration.ofSeconds(warmup),
                      mode,
                      placement,
                      seed))
              .run();
      if (header) {
        System.out.println(Result.HEADER);
      }
      System.out.println(r.toTsv());
      return 0;
    }
  }

  @Command(
      name = "go-summary",
      description = "Summarises dqlite-benchmark's result files as one result line (TSV).")
  static final class GoSummary implements Callable<Integer> {
    @Option(names = "--results", required = true, description = "DIR/ADDR/results")
    Path results;

    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--workers", required = true)
    int workers;

    @Option(
        names = "--duration",
        required = true,
        description = "Measured seconds: the --duration given minus the warm-up.")
    int duration;

    @Option(
        names = "--warmup",
        defaultValue = "0",
        description = "Seconds from the first operation whose operations are not measured.")
    int warmup;

    @Option(names = "--placement", required = true)
    String placement;

    @Override
    public Integer call() {
      GoResults.Parsed p = GoResults.parse(results, Duration.ofSeconds(warmup).toNanos());
      Result r =
          new Result(
              "go",
              KvWorkload.parse(workload),
              workers,
              placement,
              duration,
              p.writes().size(),
              p.reads().size(),
              p.errors(),
              -1,
              p.firstError(),
              p.writes().stats(),
              p.reads().stats());
      System.out.println(r.toTsv());
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
