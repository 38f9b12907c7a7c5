package io.dqlite.operator.status;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.crd.ScaleDownStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The status this operator last wrote for each cluster (by uid), once the API server answered with
 * it (never before: a remembered status is what the next pass acts on, and an intent in it that the
 * server lacks would be forgotten by a restart), so that the next reconciliation starts from it
 * rather than from the informer cache: JOSDK does not put a server-side-applied status into its
 * cache, and a pass that comes before the watch event would otherwise see the status of two passes
 * ago (and, for instance, record the same Event twice or recycle a volume again). Only the leader
 * writes a cluster's status, so what it wrote last is the newest there is; a new leader starts
 * empty and reads the cache. At most {@link #CAPACITY} clusters are kept.
 */
public final class StatusMemory {

  static final int CAPACITY = 4096;

  /** A status, and the scale-down record the API server was last seen to hold. */
  private record Entry(DqliteClusterStatus status, ScaleDownStatus confirmedScaleDown) {}

  private final Map<String, Entry> byUid =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
          return size() > CAPACITY;
        }
      };

  /** The status last written for this cluster, or its cached one. */
  public synchronized DqliteClusterStatus latest(DqliteCluster cr) {
    Entry e = byUid.get(cr.getMetadata().getUid());
    return e == null ? cr.getStatus() : e.status();
  }

  /**
   * The {@code status.scaleDown} the API server last answered with, or the cached one: what a
   * raft-changing step may act on.
   */
  public synchronized ScaleDownStatus confirmedScaleDown(DqliteCluster cr) {
    Entry e = byUid.get(cr.getMetadata().getUid());
    if (e != null) {
      return e.confirmedScaleDown();
    }
    return cr.getStatus() == null ? null : cr.getStatus().getScaleDown();
  }

  /** The API server holds {@code status} (it answered the write with it, or its cache shows it). */
  public synchronized void wrote(DqliteCluster cr, DqliteClusterStatus status) {
    byUid.put(cr.getMetadata().getUid(), new Entry(status, status.getScaleDown()));
  }

  /**
   * The write of {@code status} failed after a step acted: what was done is remembered (so that it
   * is not done again), but the scale-down record stays what the server holds.
   */
  public synchronized void unconfirmed(DqliteCluster cr, DqliteClusterStatus status) {
    byUid.put(cr.getMetadata().getUid(), new Entry(status, confirmedScaleDown(cr)));
  }
}
