package io.dqlite.localkube.podspec;

import java.lang.management.ManagementFactory;

/** This machine's size, reported as every simulated node's capacity (nothing is enforced). */
public final class NodeCapacity {
  private NodeCapacity() {}

  /** Processors available to the JVM. */
  public static int cpus() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** Physical memory in bytes. */
  public static long memoryBytes() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
    }
    return 8L << 30;
  }
}
