package io.dqlite.bench.sidecar;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the result lines of one bench/sidecar.sh run into the markdown printed and written to
 * docs/benchmarks.md: throughput per path with the ratio to direct TCP, resident memory per node
 * for each sidecar and dqlite-demo cluster, and the verdicts of the requirement.
 *
 * <p>A run may hold several engines: a cluster's label is its kind ({@code sidecar} or {@code
 * dqlite-demo}) and the engine it ran on as a suffix ({@code sidecar-1.18}, {@code
 * sidecar-1.18-disk}, {@code dqlite-demo-1.18}; none: the host's 1.11.1). Each sidecar cluster is
 * compared with its own direct path and with the dqlite-demo cluster on the same library.
 */
final class SidecarReport {

  static final String SIDECAR = "sidecar";
  static final String DEMO = "dqlite-demo";
  static final String DIRECT = "tcp-leader";

  /** The load generator's own process, sampled for its CPU time. */
  static final String CLIENT = "client";

  static final List<String> SOCKET_PATHS = List.of("socket-non-leader", "socket-leader");

  /** Paths of the paced memory runs start with this ("steady:socket-non-leader"). */
  static final String STEADY = "steady:";

  /**
   * Paths of the throughput runs whose writes are one auto-commit request start with this
   * ("autocommit:tcp-leader"); the others' writes are three-request transactions.
   */
  static final String AUTOCOMMIT = "autocommit:";

  /** The throughput workloads, by path prefix, in the order reported. */
  private static final Map<String, String> WORKLOADS = new java.util.LinkedHashMap<>();

  static {
    WORKLOADS.put("", "transaction");
    WORKLOADS.put(AUTOCOMMIT, "auto-commit");
  }

  /** The requirement: the app socket gives at least this share of direct throughput. */
  static final double MIN_RATIO = 0.90;

  /** The requirement: a sidecar's resident set under a steady write load, at most. */
  static final long MAX_RSS_KIB = 96 * 1024;

  private static final Map<String, String> PATH_NAMES =
      Map.of(
          "socket-non-leader",
          "app socket of a non-leader sidecar",
          "socket-leader",
          "app socket of the leader's sidecar",
          DIRECT,
          "TCP straight to the leader (direct)");
  private static final List<String> NODES = List.of("leader", "follower-a", "follower-b");

  /** What the report says about the run besides its lines. */
  record Meta(
      String date,
      String commit,
      String machine,
      String loadBefore,
      String loadAfter,
      String command,
      String note) {}

  /** Whether a cluster label names a sidecar cluster (any engine). */
  static boolean isSidecar(String cluster) {
    return cluster.startsWith(SIDECAR);
  }

  /**
   * The dqlite-demo cluster on the same libdqlite as a sidecar cluster: the engine suffix without a
   * mode ({@code sidecar-1.18-disk} → {@code dqlite-demo-1.18}).
   */
  static String demoFor(String sidecarCluster) {
    String engine = sidecarCluster.substring(SIDECAR.length());
    int mode = engine.indexOf('-', 1);
    return DEMO + (mode < 0 ? engine : engine.substring(0, mode));
  }

  private final List<Line.Run> runs = new ArrayList<>();
  private final List<Line.Rss> rss = new ArrayList<>();

  SidecarReport(List<Line> lines) {
    for (Line l : lines) {
      if (l instanceof Line.Run r) {
        runs.add(r);
      } else if (l instanceof Line.Rss m) {
        rss.add(m);
      }
    }
  }

  String markdown(Meta meta) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "Run %s, commit `%s`; load average (1, 5, 15 min) %s before, %s after; %s.%n%n",
            meta.date(),
            meta.commit(),
            meta.loadBefore(),
            meta.loadAfter(),
            meta.machine()));
    b.append("Command: ").append(meta.command()).append(". ").append(meta.note()).append("\n\n");
    throughput(b);
    memory(b);
    verdicts(b);
    return b.toString();
  }

  private void throughput(StringBuilder b) {
    b.append(
        "| write | workers | cluster | path | writes/s | avg ms | p50 ms | p99 ms | retried |"
            + " errors | of direct | load (1 min) |\n");
    b.append("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, String> workload : WORKLOADS.entrySet()) {
      String prefix = workload.getKey();
      for (int w : workerCounts()) {
        for (Line.Run r : ordered()) {
          if (r.workers() != w || !prefix(r.path()).equals(prefix)) {
            continue;
          }
          Optional<Line.Run> direct = run(r.cluster(), prefix + DIRECT, w);
          String ratio = "";
          if (isSidecar(r.cluster()) && direct.isPresent()) {
            ratio = pct(r.writesPerSecond() / direct.get().writesPerSecond());
          }
          String route = route(r.path());
          b.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %d | %s | %s | %.0f | %.2f | %.2f | %.2f | %d | %d | %s | %s |%n",
                  workload.getValue(),
                  w,
                  r.cluster(),
                  PATH_NAMES.getOrDefault(route, route),
                  r.writesPerSecond(),
                  r.avgMs(),
                  r.p50Ms(),
                  r.p99Ms(),
                  r.retries(),
                  r.errors(),
                  ratio,
                  r.load()));
        }
      }
    }
    b.append('\n');
  }

  /** The workload prefix of a path label, with its colon ("" for transactions). */
  static String prefix(String path) {
    int colon = path.indexOf(':');
    return colon < 0 ? "" : path.substring(0, colon + 1);
  }

  /** How a path label reaches the leader, without its workload prefix. */
  static String route(String path) {
    return path.substring(prefix(path).length());
  }

  private void memory(StringBuilder b) {
    List<Line.Rss> source = memorySource();
    boolean paced = source.stream().anyMatch(m -> m.path().startsWith(STEADY));
    if (paced) {
      List<String> how = new ArrayList<>();
      for (Line.Run r : runs) {
        if (r.path().startsWith(STEADY)) {
          how.add(
              String.format(
                  Locale.ROOT,
                  "%s through %s: %.0f writes/s for %.0f s",
                  r.cluster(),
                  r.path().substring(STEADY.length()),
                  r.writesPerSecond(),
                  r.seconds()));
        }
      }
      b.append("Resident memory under the steady write load, each cluster fresh (")
          .append(String.join("; ", how))
          .append("). ");
    } else {
      b.append("Resident memory during the runs. ");
    }
    b.append(
        "VmRSS in MiB, sampled every 250 ms; before: just before the load; steady: median"
            + " over the measured window; peak: the largest sample.\n\n");
    b.append(
        "| cluster | leader before / steady / peak | follower-a | follower-b |"
            + " highest steady − dqlite-demo's on the same libdqlite |\n");
    b.append("|---|---:|---:|---:|---:|\n");
    for (String cluster : clusters()) {
      b.append("| ").append(cluster);
      for (String node : NODES) {
        List<Line.Rss> of =
            source.stream()
                .filter(m -> m.cluster().equals(cluster) && m.node().equals(node))
                .toList();
        long before = of.isEmpty() ? -1 : of.get(0).startKib();
        long steady = of.stream().mapToLong(Line.Rss::steadyKib).max().orElse(-1);
        long peak = of.stream().mapToLong(Line.Rss::peakKib).max().orElse(-1);
        b.append(" | ")
            .append(mib(before))
            .append(" / ")
            .append(mib(steady))
            .append(" / ")
            .append(mib(peak));
      }
      Optional<Line.Rss> own = highest(source, cluster, Line.Rss::steadyKib);
      Optional<Line.Rss> demo =
          isSidecar(cluster)
              ? highest(source, demoFor(cluster), Line.Rss::steadyKib)
              : Optional.empty();
      b.append(" | ")
          .append(
              own.isPresent() && demo.isPresent()
                  ? difference(own.get().steadyKib() - demo.get().steadyKib())
                  : "-")
          .append(" |\n");
    }
    b.append(
        "\nEvery run, in order: resident steady / peak MiB, and CPU time (user + system) per"
            + " write in the measured window, µs:\n\n");
    b.append(
        "| cluster | path | workers | leader | follower-a | follower-b |"
            + " CPU leader | CPU follower-a | CPU follower-b | CPU client |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    Set<String> seen = new LinkedHashSet<>();
    for (Line.Rss m : nodes().toList()) {
      String key = m.cluster() + "\t" + m.path() + "\t" + m.workers();
      if (!seen.add(key)) {
        continue;
      }
      b.append("| ")
          .append(m.cluster())
          .append(" | ")
          .append(m.path())
          .append(" | ")
          .append(m.workers());
      List<Optional<Line.Rss>> of = new ArrayList<>();
      List<String> withClient = new ArrayList<>(NODES);
      withClient.add(CLIENT);
      for (String node : withClient) {
        of.add(
            rss.stream()
                .filter(
                    x ->
                        (x.cluster() + "\t" + x.path() + "\t" + x.workers()).equals(key)
                            && x.node().equals(node))
                .findFirst());
      }
      for (Optional<Line.Rss> n : of.subList(0, NODES.size())) {
        b.append(" | ")
            .append(n.map(x -> mib(x.steadyKib()) + " / " + mib(x.peakKib())).orElse("-"));
      }
      long writes = run(m.cluster(), m.path(), m.workers()).map(Line.Run::writes).orElse(0L);
      for (Optional<Line.Rss> n : of) {
        b.append(" | ")
            .append(
                n.filter(x -> x.cpuMillis() >= 0 && writes > 0)
                    .map(x -> String.format(Locale.ROOT, "%.0f", x.cpuMillis() * 1000.0 / writes))
                    .orElse("-"));
      }
      b.append(" |\n");
    }
    b.append('\n');
  }

  private void verdicts(StringBuilder b) {
    List<String> sidecars = clusters().stream().filter(SidecarReport::isSidecar).toList();
    for (String cluster : sidecars) {
      String which = sidecars.size() > 1 ? " (" + cluster + ")" : "";
      ratioVerdicts(b, cluster, which);
      p99Verdict(b, cluster, which);
      memoryVerdict(b, cluster, which);
    }
  }

  private void ratioVerdicts(StringBuilder b, String cluster, String which) {
    for (Map.Entry<String, String> workload : WORKLOADS.entrySet()) {
      List<String> ratios = new ArrayList<>();
      boolean allMet = true;
      for (int w : workerCounts()) {
        Optional<Line.Run> direct = run(cluster, workload.getKey() + DIRECT, w);
        for (String path : SOCKET_PATHS) {
          Optional<Line.Run> s = run(cluster, workload.getKey() + path, w);
          if (direct.isPresent() && s.isPresent() && direct.get().writesPerSecond() > 0) {
            double r = s.get().writesPerSecond() / direct.get().writesPerSecond();
            allMet &= r >= MIN_RATIO;
            ratios.add(path + " " + w + "w " + pct(r));
          }
        }
      }
      if (!ratios.isEmpty()) {
        b.append("- App socket ≥ 90 % of direct")
            .append(which)
            .append(", ")
            .append(workload.getValue())
            .append(" writes: ")
            .append(allMet ? "**met**" : "**not met**")
            .append(" (")
            .append(String.join(", ", ratios))
            .append(").\n");
      }
    }
  }

  /**
   * The sidecar node's p99 no worse than dqlite-demo's on the same libdqlite, for each workload and
   * worker count: the app socket of a non-leader sidecar (what an application sees) against
   * dqlite-demo's leader over TCP.
   */
  private void p99Verdict(StringBuilder b, String cluster, String which) {
    String demo = demoFor(cluster);
    List<String> ratios = new ArrayList<>();
    boolean allMet = true;
    for (Map.Entry<String, String> workload : WORKLOADS.entrySet()) {
      for (int w : workerCounts()) {
        Optional<Line.Run> s = run(cluster, workload.getKey() + SOCKET_PATHS.get(0), w);
        Optional<Line.Run> d = run(demo, workload.getKey() + DIRECT, w);
        if (s.isPresent() && d.isPresent() && d.get().p99Ms() > 0) {
          double r = s.get().p99Ms() / d.get().p99Ms();
          allMet &= r <= 1.0;
          ratios.add(
              String.format(
                  Locale.ROOT,
                  "%s %dw %.1f vs %.1f ms (%.2f×)",
                  workload.getValue(),
                  w,
                  s.get().p99Ms(),
                  d.get().p99Ms(),
                  r));
        }
      }
    }
    if (!ratios.isEmpty()) {
      b.append("- Sidecar p99 (app socket of a non-leader) ≤ ")
          .append(demo)
          .append("'s (TCP to its leader)")
          .append(which)
          .append(": ")
          .append(allMet ? "**met**" : "**not met**")
          .append(" (")
          .append(String.join(", ", ratios))
          .append(").\n");
    }
  }

  private void memoryVerdict(StringBuilder b, String cluster, String which) {
    List<Line.Rss> source = memorySource();
    Optional<Line.Rss> worstSteady = highest(source, cluster, Line.Rss::steadyKib);
    Optional<Line.Rss> worstPeak = highest(source, cluster, Line.Rss::peakKib);
    Optional<Line.Rss> demoSteady = highest(source, demoFor(cluster), Line.Rss::steadyKib);
    if (worstSteady.isPresent()) {
      Line.Rss s = worstSteady.get();
      b.append("- Sidecar resident ≤ 96 MiB under the steady write load")
          .append(which)
          .append(": ")
          .append(s.steadyKib() <= MAX_RSS_KIB ? "**met**" : "**not met**")
          .append(
              String.format(
                  Locale.ROOT,
                  " (highest steady %s MiB: %s, %s, %d workers;" + " highest peak %s MiB",
                  mib(s.steadyKib()),
                  s.node(),
                  s.path(),
                  s.workers(),
                  mib(worstPeak.get().peakKib())));
      demoSteady.ifPresent(
          d ->
              b.append("; ")
                  .append(d.cluster())
                  .append("'s highest steady under the same load ")
                  .append(mib(d.steadyKib()))
                  .append(" MiB, so the sidecar's own share is ")
                  .append(difference(s.steadyKib() - d.steadyKib()))
                  .append(" MiB"));
      b.append(").\n");
    }
  }

  /** The clusters of the run, in the order they first appear. */
  private List<String> clusters() {
    Set<String> seen = new LinkedHashSet<>();
    runs.forEach(r -> seen.add(r.cluster()));
    rss.forEach(r -> seen.add(r.cluster()));
    return List.copyOf(seen);
  }

  private static Optional<Line.Rss> highest(
      List<Line.Rss> source, String cluster, java.util.function.ToLongFunction<Line.Rss> f) {
    return source.stream()
        .filter(m -> m.cluster().equals(cluster))
        .max(java.util.Comparator.comparingLong(f));
  }

  /** The paced (steady) runs' samples when there are any, else every run's. */
  private List<Line.Rss> memorySource() {
    List<Line.Rss> paced = nodes().filter(m -> m.path().startsWith(STEADY)).toList();
    return paced.isEmpty() ? nodes().toList() : paced;
  }

  /** The sampled dqlite nodes (not the client). */
  private java.util.stream.Stream<Line.Rss> nodes() {
    return rss.stream().filter(m -> !m.node().equals(CLIENT));
  }

  /** Runs by cluster (in the run's order), then path (sockets, then direct). */
  private List<Line.Run> ordered() {
    List<String> paths = new ArrayList<>(SOCKET_PATHS);
    paths.add(DIRECT);
    List<String> clusters = clusters();
    List<Line.Run> out = new ArrayList<>(runs);
    out.sort(
        java.util.Comparator.comparingInt((Line.Run r) -> clusters.indexOf(r.cluster()))
            .thenComparingInt(
                r -> paths.indexOf(route(r.path())) < 0 ? 99 : paths.indexOf(route(r.path()))));
    return out;
  }

  private Set<Integer> workerCounts() {
    Set<Integer> w = new TreeSet<>();
    runs.stream().filter(r -> !r.path().startsWith(STEADY)).forEach(r -> w.add(r.workers()));
    return w;
  }

  private Optional<Line.Run> run(String cluster, String path, int workers) {
    return runs.stream()
        .filter(r -> r.cluster().equals(cluster) && r.path().equals(path) && r.workers() == workers)
        .findFirst();
  }

  static String mib(long kib) {
    return kib < 0 ? "-" : String.format(Locale.ROOT, "%.0f", kib / 1024.0);
  }

  /** A difference of two sizes in KiB, in MiB, signed. */
  static String difference(long kib) {
    return String.format(Locale.ROOT, "%.0f", kib / 1024.0);
  }

  static String pct(double r) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * r);
  }

  /** {@code doc} with the text between the sidecar markers replaced by {@code results}. */
  static String rewrite(String doc, String results) {
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          "markers " + BEGIN + " … " + END + " not found: add them to the Sidecar section");
    }
    int from = doc.indexOf('\n', begin) + 1;
    return doc.substring(0, from) + results + doc.substring(end);
  }

  static final String BEGIN = "<!-- BEGIN sidecar-benchmark results";
  static final String END = "<!-- END sidecar-benchmark results -->";
}
