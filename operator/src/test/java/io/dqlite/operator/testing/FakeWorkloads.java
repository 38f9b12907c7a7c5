package io.dqlite.operator.testing;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.kube.WorkloadActions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records pod evictions and claim deletions. An eviction is answered {@link Eviction#EVICTED}
 * unless {@link #answers} says otherwise for that ordinal; only evicted pods are recorded.
 */
public final class FakeWorkloads implements WorkloadActions {

  public final List<String> deleted = new CopyOnWriteArrayList<>();

  /** The UID each eviction asked for, in order, as "ordinal uid". */
  public final List<String> evictionUids = new CopyOnWriteArrayList<>();

  public final Map<Integer, Eviction> answers = new ConcurrentHashMap<>();

  @Override
  public Eviction evictPod(DqliteCluster cr, int ordinal, String uid) {
    evictionUids.add(ordinal + " " + uid);
    Eviction answer = answers.getOrDefault(ordinal, Eviction.EVICTED);
    if (answer == Eviction.EVICTED) {
      deleted.add("pod " + ordinal);
    }
    return answer;
  }

  @Override
  public void deleteClaim(DqliteCluster cr, int ordinal) {
    deleted.add("claim " + ordinal);
  }
}
