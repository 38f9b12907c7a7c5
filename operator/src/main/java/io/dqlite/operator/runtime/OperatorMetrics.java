package io.dqlite.operator.runtime;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.MemberStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The operator's own metrics, beside JOSDK's:
 *
 * <ul>
 *   <li>{@code dqlite_operator_reconcile_seconds} (timer), by namespace, name and outcome ({@code
 *       success} or {@code error}): how long each DqliteCluster reconciliation takes, sidecar calls
 *       and raft steps included, with its 0.5, 0.9 and 0.99 quantiles ({@code quantile} tag);
 *   <li>{@code dqlite_operator_members} (gauge), by namespace, name and role ({@code voter}, {@code
 *       standby}, {@code spare}): members of each cluster's raft configuration as its status last
 *       recorded them; computed at scrape time from the operator's cache, so a deleted cluster's
 *       series disappear with it.
 * </ul>
 */
public final class OperatorMetrics {

  public static final String RECONCILE = "dqlite.operator.reconcile";
  public static final String MEMBERS = "dqlite.operator.members";
  private static final List<String> ROLES = List.of("voter", "standby", "spare");

  private final MeterRegistry registry;
  private final MultiGauge members;
  private volatile Supplier<Stream<DqliteCluster>> clusters = Stream::empty;

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.members =
        MultiGauge.builder(MEMBERS)
            .description("Members of each DqliteCluster's raft configuration, by role")
            .register(registry);
  }

  /** Where {@link #refresh} reads the clusters from (the controller's primary cache). */
  public void clusters(Supplier<Stream<DqliteCluster>> source) {
    this.clusters = source;
  }

  /** Records one reconciliation. */
  public void reconciled(DqliteCluster cr, Duration took, boolean success) {
    Timer.builder(RECONCILE)
        .description("Duration of DqliteCluster reconciliations")
        // Quantiles over a sliding window (Micrometer's default, about 2 minutes), computed in the
        // operator so that a scrape or the benchmark reads them without a Prometheus server.
        .publishPercentiles(0.5, 0.9, 0.99)
        .tags(
            "namespace", cr.getMetadata().getNamespace(),
            "name", cr.getMetadata().getName(),
            "outcome", success ? "success" : "error")
        .register(registry)
        .record(took);
  }

  /** Recomputes the members gauge; call before each scrape. */
  public void refresh() {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    clusters.get().forEach(cr -> rows.addAll(rows(cr)));
    members.register(rows, true);
  }

  static List<MultiGauge.Row<?>> rows(DqliteCluster cr) {
    Map<String, Integer> counts =
        counts(cr.getStatus() == null ? null : cr.getStatus().getMembers());
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    counts.forEach(
        (role, count) ->
            rows.add(
                MultiGauge.Row.of(
                    Tags.of(
                        "namespace", cr.getMetadata().getNamespace(),
                        "name", cr.getMetadata().getName(),
                        "role", role),
                    count)));
    return rows;
  }

  /** Members per role label, every role present (zero included). */
  static Map<String, Integer> counts(Collection<MemberStatus> members) {
    Map<String, Integer> counts = new TreeMap<>();
    ROLES.forEach(r -> counts.put(r, 0));
    if (members != null) {
      for (MemberStatus m : members) {
        String role = "stand-by".equals(m.getRole()) ? "standby" : m.getRole();
        if (role != null && counts.containsKey(role)) {
          counts.merge(role, 1, Integer::sum);
        }
      }
    }
    return counts;
  }
}
