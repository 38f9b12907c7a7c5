package io.dqlite.client.jdbc;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The idle server-side prepared statements of one connection, by SQL text, so that preparing the
 * same SQL again (an application or a framework that prepares per call, as JDBI does) costs no
 * PREPARE request and closing it no FINALIZE: a write is then one request, as go-dqlite's {@code
 * db.Exec}. The least recently used is finalized when the cache is full. Pure: what must be
 * finalized is handed back to the caller, which owns the connection.
 *
 * @param <S> a prepared statement's handle
 */
final class StatementCache<S> {

  private final int capacity;
  private final LinkedHashMap<String, S> idle = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * @param capacity idle statements kept at most; 0 keeps none
   */
  StatementCache(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** The idle statement for {@code sql}, now in use (no longer in the cache), or null. */
  S take(String sql) {
    return idle.remove(sql);
  }

  /**
   * Gives back a statement that is no longer used.
   *
   * @return the statements to finalize now: the given one when it is not kept (cache off, or an
   *     idle one for the same SQL is kept already), or the least recently used one it displaced
   */
  List<S> offer(String sql, S statement) {
    if (capacity == 0 || idle.containsKey(sql)) {
      return List.of(statement);
    }
    idle.put(sql, statement);
    if (idle.size() <= capacity) {
      return List.of();
    }
    Iterator<Map.Entry<String, S>> eldest = idle.entrySet().iterator();
    S evicted = eldest.next().getValue();
    eldest.remove();
    return List.of(evicted);
  }

  /** Forgets every statement: the connection they were prepared on is gone. */
  void clear() {
    idle.clear();
  }

  int size() {
    return idle.size();
  }
}
