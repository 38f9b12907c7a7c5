package io.dqlite.bench;

import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.InMemoryNodeStore;
import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.StatementInfo;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A diagnostic of the protocol layer alone (no JDBC), to find where a request's time goes: the same
 * request repeated on one connection to the leader, through {@link ProtocolConnection} and, for the
 * leader request, through a hand-written blocking socket (the floor: one write, two reads, no
 * deadline, no decoding beyond the header). Prints latency and the process's CPU time per request.
 */
final class RoundTrips {

  private final List<String> nodes;
  private final int count;

  RoundTrips(List<String> nodes, int count) {
    this.nodes = nodes;
    this.count = count;
  }

  void run() throws Exception {
    LeaderConnector connector =
        new LeaderConnector(
            InMemoryNodeStore.of(nodes.toArray(String[]::new)), ConnectorConfig.defaults());
    try (ProtocolConnection c = connector.connect()) {
      String leader = c.address();
      int db = c.open("benchmark");
      c.execSql(db, KvWorkload.SCHEMA, null);
      StatementInfo insert = c.prepare(db, KvWorkload.WRITE_SQL);
      Random random = new Random(7);
      for (int round = 0; round < 2; round++) {
        String tag = round == 0 ? "(warm-up) " : "";
        measure(tag + "raw socket: leader", () -> rawLeader(leader));
        measure(tag + "ProtocolConnection: leader", c::leader);
        measure(
            tag + "ProtocolConnection: exec BEGIN+ROLLBACK",
            () -> {
              c.execSql(db, "BEGIN", null);
              c.execSql(db, "ROLLBACK", null);
            });
        measure(
            tag + "ProtocolConnection: exec prepared 1 KiB insert",
            () ->
                c.exec(
                    db,
                    insert.id(),
                    List.of(KvWorkload.randomKey(random), KvWorkload.randomValue(random))));
      }
      closeRaw();
    }
  }

  @FunctionalInterface
  private interface Op {
    void run() throws Exception;
  }

  private void measure(String what, Op op) throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long[] samples = new long[count];
    long switches0 = contextSwitches();
    long cpu0 = os.getProcessCpuTime();
    for (int i = 0; i < count; i++) {
      long s = System.nanoTime();
      op.run();
      samples[i] = System.nanoTime() - s;
    }
    long cpu = os.getProcessCpuTime() - cpu0;
    long switches = contextSwitches() - switches0;
    LatencyStats st = LatencyStats.of(samples, count);
    System.out.printf(
        Locale.ROOT,
        "%-48s n=%d avg %.3f ms p50 %.3f p99 %.3f | CPU %.1f us/op, %.2f context switches/op%n",
        what,
        count,
        st.avgMs(),
        st.p50Ms(),
        st.p99Ms(),
        cpu / 1e3 / count,
        (double) switches / count);
  }

  /** Context switches of every thread of this process so far (Linux), or 0 when unknown. */
  private static long contextSwitches() {
    long total = 0;
    try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
      for (var task : tasks.toList()) {
        try {
          for (String line : java.nio.file.Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")
                || line.startsWith("nonvoluntary_ctxt_switches:")) {
              total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return total;
  }

  private Socket raw;
  private OutputStream rawOut;
  private DataInputStream rawIn;
  private final List<byte[]> rawBodies = new ArrayList<>();

  private void rawLeader(String address) throws IOException {
    if (raw == null) {
      int colon = address.lastIndexOf(':');
      raw = new Socket();
      raw.setTcpNoDelay(true);
      raw.connect(
          new InetSocketAddress(
              address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))));
      rawOut = raw.getOutputStream();
      InputStream in = raw.getInputStream();
      rawIn = new DataInputStream(in);
      rawOut.write(new byte[] {1, 0, 0, 0, 0, 0, 0, 0});
    }
    // header: 1 word, type 0 (leader); body: 8 zero bytes
    rawOut.write(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    byte[] header = new byte[8];
    rawIn.readFully(header);
    int words =
        (header[0] & 0xff)
            | (header[1] & 0xff) << 8
            | (header[2] & 0xff) << 16
            | (header[3] & 0xff) << 24;
    byte[] body = new byte[words * 8];
    rawIn.readFully(body);
    if (rawBodies.isEmpty()) {
      rawBodies.add(body);
    }
  }

  private void closeRaw() throws IOException {
    if (raw != null) {
      raw.close();
    }
  }
}
