package io.dqlite.e2e;

import io.dqlite.e2e.support.ContinuousWriter;
import io.dqlite.e2e.support.DqliteClusters;
import io.dqlite.e2e.support.E2eEnvironment;
import io.dqlite.e2e.support.LocalPaths;
import io.dqlite.e2e.support.Sql;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** The application the scenarios run: a writer through whichever pod is ready. */
final class Writers {

  static final Duration PERIOD = Duration.ofMillis(100);

  private Writers() {}

  /**
   * The writer's leader search deadline through one pod's socket. Its URL names that pod's socket
   * (the path holds the pod's uid): when the pod is replaced the path never comes back, and with
   * the usual 15 s the writer waited that long before moving to a ready pod (a gap that an
   * application inside the pod, stopped with it, would not see).
   */
  static final int WRITER_LEADER_TIMEOUT_MS = 3_000;

  /** The app socket URL of the first ready pod whose socket exists; null when none. */
  static Supplier<String> anyReadyPod(
      E2eEnvironment env, String ns, String cluster, int leaderTimeoutMillis) {
    return () -> {
      List<Pod> pods = DqliteClusters.pods(env.client(), ns, cluster);
      for (Pod pod : pods) {
        if (DqliteClusters.podReady(pod)
            && Files.exists(LocalPaths.appSocket(env.agentRoot(), pod))) {
          return LocalPaths.jdbcUrl(env.agentRoot(), pod, "app", leaderTimeoutMillis);
        }
      }
      return null;
    };
  }

  static ContinuousWriter start(E2eEnvironment env, String ns, String cluster) throws SQLException {
    Supplier<String> urls = anyReadyPod(env, ns, cluster, WRITER_LEADER_TIMEOUT_MS);
    String setup = urls.get();
    if (setup == null) {
      throw new IllegalStateException("no ready pod of " + ns + "/" + cluster + " to write to");
    }
    return ContinuousWriter.start(setup, urls, "writes", PERIOD);
  }

  /** Acknowledged ids missing from the table, read through a ready pod's socket. */
  static Set<Long> lost(E2eEnvironment env, String ns, String cluster, ContinuousWriter writer)
      throws SQLException {
    String url = anyReadyPod(env, ns, cluster, 15_000).get();
    Set<Long> present = Sql.ids(url, "writes");
    Set<Long> missing = new HashSet<>(writer.acknowledged());
    missing.removeAll(present);
    return missing;
  }
}
