package io.dqlite.sidecar.appsocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.protocol.ClusterRequest;
import io.dqlite.client.protocol.ExecSqlRequest;
import io.dqlite.client.protocol.FinalizeRequest;
import io.dqlite.client.protocol.LeaderRequest;
import io.dqlite.client.protocol.MessageHeader;
import io.dqlite.client.protocol.OpenRequest;
import io.dqlite.client.protocol.PrepareRequest;
import io.dqlite.client.protocol.ProtocolException;
import io.dqlite.client.protocol.QueryRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile bytes against the app socket's frame reading: random bytes, and valid requests with bytes
 * flipped, inserted or cut and word counts that lie. Only a {@link ProtocolException} may come out,
 * and the memory allocated stays proportional to the bytes given, whatever a header claims. Seeded,
 * like the client's fuzz tests: {@code -Ddqlite.fuzz.cases} (2000 by default; a longer run passes
 * e.g. 100000) and {@code -Ddqlite.fuzz.seed} (a failure names the seed and the case, to replay
 * it).
 */
class FrameFuzzTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** What reading may allocate beyond the input: the header, the first chunk, a little slack. */
  private static final long FIXED_ALLOWANCE = 256 * 1024;

  private static final int CASES = Integer.getInteger("dqlite.fuzz.cases", 2000);
  private static final long SEED = Long.getLong("dqlite.fuzz.seed", System.nanoTime());

  private static final List<byte[]> VALID =
      List.of(
          new LeaderRequest().encode(),
          new OpenRequest("db", 0, "volatile").encode(),
          new PrepareRequest(0, "SELECT * FROM t WHERE n = ?").encode(),
          new QueryRequest(0, 1, List.of(7L, "x", new byte[] {1, 2}), 0).encode(),
          new ExecSqlRequest(0, "INSERT INTO t VALUES (?, ?)", List.of(1L, 2.5)).encode(),
          new FinalizeRequest(0, 3).encode(),
          new ClusterRequest(1).encode());

  static {
    // Class loading and first-call costs are not the reader's: pay them before measuring.
    for (byte[] b : VALID) {
      try {
        Frame.read(new ByteArrayInputStream(Arrays.copyOf(b, b.length - 1)));
      } catch (IOException | ProtocolException e) {
        // Truncated on purpose.
      }
      try {
        MessageHeader h = Frame.readHeader(new ByteArrayInputStream(b));
        Frame.relay(
            h,
            new byte[0],
            new ByteArrayInputStream(b, 8, b.length - 9),
            OutputStream.nullOutputStream(),
            new byte[ProxySession.RELAY_BUFFER]);
      } catch (IOException | ProtocolException e) {
        // Truncated on purpose.
      }
    }
  }

  /** Random bytes (a third of the cases), or 1 to 4 valid requests, one of them mutated. */
  private static byte[] hostile(SplittableRandom random) {
    if (random.nextInt(3) == 0) {
      return bytes(random, random.nextInt(2049));
    }
    List<byte[]> parts = new ArrayList<>();
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      parts.add(VALID.get(random.nextInt(VALID.size())).clone());
    }
    return mutate(
        concat(parts),
        random.nextInt(4),
        random.nextInt(Integer.MAX_VALUE),
        bytes(random, 1 + random.nextInt(16)),
        random.nextLong(0x1_0000_0000L));
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  /** Runs {@code check} on {@link #CASES} hostile inputs; a failure names the seed and case. */
  private static void forHostileBytes(Check check) throws IOException {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < CASES; i++) {
      byte[] bytes = hostile(random);
      try {
        check.run(bytes);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "case "
                + i
                + " of -Ddqlite.fuzz.seed="
                + SEED
                + " ("
                + bytes.length
                + " bytes: "
                + e.getMessage()
                + ")",
            e);
      }
    }
  }

  private interface Check {
    void run(byte[] bytes) throws IOException;
  }

  private static byte[] mutate(byte[] b, int kind, int where, byte[] bytes, long words) {
    int at = b.length == 0 ? 0 : where % b.length;
    switch (kind) {
      case 0 -> { // flip
        b[at] ^= (byte) (1 << (where % 8));
        return b;
      }
      case 1 -> { // insert
        byte[] out = new byte[b.length + bytes.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        System.arraycopy(b, at, out, at + bytes.length, b.length - at);
        return out;
      }
      case 2 -> { // truncate
        return Arrays.copyOf(b, at);
      }
      default -> { // the first header lies about its word count
        for (int i = 0; i < 4; i++) {
          b[i] = (byte) (words >>> (8 * i));
        }
        return b;
      }
    }
  }

  private static byte[] concat(List<byte[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  @Test
  void readingFramesFailsOnlyAsAProtocolErrorAndAllocatesForWhatArrived() throws IOException {
    forHostileBytes(FrameFuzzTest::readFrames);
  }

  private static void readFrames(byte[] bytes) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    long before = THREADS.getCurrentThreadAllocatedBytes();
    String error = null;
    try {
      while (Frame.read(in, 64L << 20) != null) {
        // Frame after frame until the bytes end or make no sense.
      }
    } catch (ProtocolException e) {
      error = e.getMessage();
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertThat(error == null || !error.isBlank()).isTrue();
    assertThat(allocated).isLessThan(4L * bytes.length + FIXED_ALLOWANCE);
  }

  @Test
  void relayingFramesUsesItsBufferAndNeverWritesMoreThanArrived() throws IOException {
    forHostileBytes(FrameFuzzTest::relayFrames);
  }

  private static void relayFrames(byte[] bytes) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    long[] written = {0};
    OutputStream sink =
        new OutputStream() {
          @Override
          public void write(int b) {
            written[0]++;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            written[0] += len;
          }
        };
    byte[] buf = new byte[ProxySession.RELAY_BUFFER];
    long before = THREADS.getCurrentThreadAllocatedBytes();
    String error = null;
    try {
      MessageHeader h;
      while ((h = Frame.readHeader(in)) != null) {
        if (h.bodyBytes() == 0) {
          break; // The session refuses an empty body before relaying anything.
        }
        Frame.relay(h, new byte[0], in, sink, buf);
      }
    } catch (ProtocolException e) {
      error = e.getMessage();
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertThat(error == null || !error.isBlank()).isTrue();
    assertThat(written[0]).isLessThanOrEqualTo(bytes.length);
    // Per frame: a header, a 16-byte head, a summary; never the body, whatever its size.
    assertThat(allocated).isLessThan(512L * (bytes.length / 8 + 1) + FIXED_ALLOWANCE);
  }
}
