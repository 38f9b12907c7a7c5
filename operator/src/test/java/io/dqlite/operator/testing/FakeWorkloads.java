package io.dqlite.operator.testing;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.kube.WorkloadActions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records pod and claim deletions. */
public final class FakeWorkloads implements WorkloadActions {

  public final List<String> deleted = new CopyOnWriteArrayList<>();

  @Override
  public void deletePod(DqliteCluster cr, int ordinal) {
    deleted.add("pod " + ordinal);
  }

  @Override
  public void deleteClaim(DqliteCluster cr, int ordinal) {
    deleted.add("claim " + ordinal);
  }
}
