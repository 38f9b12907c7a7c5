package io.dqlite.bench;

import java.util.Arrays;

/** A growable array of latency samples in nanoseconds, owned by one worker thread. */
final class Samples {

  private long[] values = new long[16 * 1024];
  private int size;

  void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[size++] = nanos;
  }

  void addAll(Samples other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  int size() {
    return size;
  }

  long get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i + " of " + size);
    }
    return values[i];
  }

  LatencyStats stats() {
    return LatencyStats.of(values, size);
  }
}
