package io.dqlite.operator.status;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The status this operator last wrote for each cluster (by uid), so that the next reconciliation
 * starts from it rather than from the informer cache: JOSDK does not put a server-side-applied
 * status into its cache, and a pass that comes before the watch event would otherwise see the
 * status of two passes ago (and, for instance, record the same Event twice or recycle a volume
 * again). Only the leader writes a cluster's status, so what it wrote last is the newest there is;
 * a new leader starts empty and reads the cache. At most {@link #CAPACITY} clusters are kept.
 */
public final class StatusMemory {

  static final int CAPACITY = 4096;

  private final Map<String, DqliteClusterStatus> byUid =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DqliteClusterStatus> eldest) {
          return size() > CAPACITY;
        }
      };

  /** The status last written for this cluster, or its cached one. */
  public synchronized DqliteClusterStatus latest(DqliteCluster cr) {
    return Optional.ofNullable(byUid.get(cr.getMetadata().getUid())).orElse(cr.getStatus());
  }

  public synchronized void wrote(DqliteCluster cr, DqliteClusterStatus status) {
    byUid.put(cr.getMetadata().getUid(), status);
  }
}
