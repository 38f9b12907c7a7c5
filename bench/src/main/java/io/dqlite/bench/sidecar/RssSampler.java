package io.dqlite.bench.sidecar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Samples the resident set ({@code VmRSS} in {@code /proc/PID/status}) of named processes on a
 * daemon thread, every {@code periodMillis}, from {@link #start()} to {@link #close()}. Samples
 * taken after {@link #measuring()} belong to the measured window; {@link #summary()} gives, per
 * process, the first sample, the median of the measured window ("steady") and the largest sample
 * ("peak").
 */
final class RssSampler implements AutoCloseable {

  /**
   * One process's figures, in KiB; -1 when there was no sample.
   *
   * @param cpuMillis CPU time (user + system) the process used in the measured window, -1 unknown
   */
  record Summary(
      String name, long pid, long startKib, long steadyKib, long peakKib, long cpuMillis) {}

  private final Map<String, Long> pids;
  private final long periodMillis;
  private final Map<String, List<long[]>> samples = new LinkedHashMap<>();
  private final Thread thread;
  private final long started = System.nanoTime();
  private final Map<String, Long> cpuAtStart = new LinkedHashMap<>();
  private final Map<String, Long> cpuAtEnd = new LinkedHashMap<>();
  private volatile boolean measuring;
  private volatile boolean stop;

  /**
   * @param pids process name (as reported) → pid
   */
  RssSampler(Map<String, Long> pids, long periodMillis) {
    this.pids = new LinkedHashMap<>(pids);
    this.periodMillis = periodMillis;
    for (String name : pids.keySet()) {
      samples.put(name, new ArrayList<>());
    }
    this.thread = new Thread(this::loop, "rss-sampler");
    this.thread.setDaemon(true);
  }

  void start() {
    sampleOnce();
    thread.start();
  }

  /** From now on, samples count for the steady figure. */
  void measuring() {
    cpuTimes(cpuAtStart);
    measuring = true;
  }

  private void cpuTimes(Map<String, Long> into) {
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      long ms = cpuMillis(e.getValue());
      synchronized (samples) {
        into.put(e.getKey(), ms);
      }
    }
  }

  /** utime + stime of {@code pid} in milliseconds (clock ticks of 10 ms); -1 when gone. */
  static long cpuMillis(long pid) {
    try {
      return cpuMillisOfStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Fields 14 and 15 of a {@code /proc/PID/stat} line (after the parenthesised name). */
  static long cpuMillisOfStat(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // f[0] is field 3 (state): utime is field 14, stime field 15. USER_HZ is 100 on Linux.
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  private void loop() {
    while (!stop) {
      try {
        Thread.sleep(periodMillis);
      } catch (InterruptedException e) {
        return;
      }
      sampleOnce();
    }
  }

  private void sampleOnce() {
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      OptionalLong kib = read(e.getValue());
      if (kib.isPresent()) {
        synchronized (samples) {
          samples
              .get(e.getKey())
              .add(
                  new long[] {
                    kib.getAsLong(), measuring ? 1 : 0, (System.nanoTime() - started) / 1_000_000
                  });
        }
      }
    }
  }

  /** VmRSS of {@code pid} in KiB; empty when the process is gone. */
  static OptionalLong read(long pid) {
    try {
      return vmRss(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** The {@code VmRSS:} line of a {@code /proc/PID/status} text, in KiB. */
  static OptionalLong vmRss(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] f = line.substring(6).trim().split("\\s+");
        long v = Long.parseLong(f[0]);
        if (f.length > 1 && !f[1].equalsIgnoreCase("kB")) {
          throw new IllegalArgumentException("VmRSS in unexpected unit: " + line);
        }
        return OptionalLong.of(v);
      }
    }
    return OptionalLong.empty();
  }

  /** Stops sampling (one last sample is taken) and waits for the thread. */
  @Override
  public void close() {
    if (!stop) {
      stop = true;
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sampleOnce();
      if (measuring) {
        cpuTimes(cpuAtEnd);
      }
    }
  }

  List<Summary> summary() {
    List<Summary> out = new ArrayList<>();
    synchronized (samples) {
      for (Map.Entry<String, List<long[]>> e : samples.entrySet()) {
        Long a = cpuAtStart.get(e.getKey());
        Long b = cpuAtEnd.get(e.getKey());
        long cpu = a == null || b == null || a < 0 || b < 0 ? -1 : b - a;
        out.add(summarise(e.getKey(), pids.get(e.getKey()), e.getValue(), cpu));
      }
    }
    return out;
  }

  /** Every sample as "name, milliseconds since the start, KiB", tab-separated, in time order. */
  List<String> series() {
    List<String> out = new ArrayList<>();
    synchronized (samples) {
      for (Map.Entry<String, List<long[]>> e : samples.entrySet()) {
        for (long[] s : e.getValue()) {
          out.add(e.getKey() + "\t" + s[2] + "\t" + s[0]);
        }
      }
    }
    return out;
  }

  /** Samples as {kib, measured 0/1, ...}, in time order. */
  static Summary summarise(String name, long pid, List<long[]> samples, long cpuMillis) {
    if (samples.isEmpty()) {
      return new Summary(name, pid, -1, -1, -1, cpuMillis);
    }
    long peak = samples.stream().mapToLong(s -> s[0]).max().orElse(-1);
    long[] window = samples.stream().filter(s -> s[1] == 1).mapToLong(s -> s[0]).toArray();
    Arrays.sort(window);
    long steady = window.length == 0 ? -1 : window[(window.length - 1) / 2];
    return new Summary(name, pid, samples.get(0)[0], steady, peak, cpuMillis);
  }
}
