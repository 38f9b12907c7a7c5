package io.dqlite.operator.testing;

import io.dqlite.client.model.DqliteException;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.membership.RaftProtocol;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The dqlite protocol from a table: one membership for every read; removals recorded. */
public final class FakeRaft implements RaftProtocol {

  public volatile Membership membership = Membership.unknown(Map.of(), List.of("no node answers"));
  public volatile DqliteException removeFailure;
  public final List<String> removals = new CopyOnWriteArrayList<>();
  public final List<Map<String, String>> reads = new CopyOnWriteArrayList<>();

  @Override
  public Membership read(DqliteCluster cr, Map<String, String> dialAddresses) {
    reads.add(Map.copyOf(dialAddresses));
    return membership;
  }

  @Override
  public void remove(DqliteCluster cr, String leaderDialAddress, long id) throws DqliteException {
    if (removeFailure != null) {
      throw removeFailure;
    }
    removals.add(leaderDialAddress + " 0x" + Long.toHexString(id));
  }
}
