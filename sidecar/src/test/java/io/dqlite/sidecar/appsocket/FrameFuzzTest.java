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
import io.dqlite.client.protocol.Request;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile bytes against the app socket's frame reading: random bytes, and valid requests with
 * bytes flipped, inserted or cut and word counts that lie. Only a {@link ProtocolException} may
 * come out, and the memory allocated stays proportional to the bytes given, whatever a header
 * claims. Tries: {@code jqwik.tries.default} (500 in junit-platform.properties; a longer run
 * passes e.g. {@code -Djqwik.tries.default=100000}).
 */
class FrameFuzzTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  /** What reading may allocate beyond the input: the header, the first chunk, a little slack. */
  private static final long FIXED_ALLOWANCE = 256 * 1024;

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
        Frame.relay(h, new byte[0], new ByteArrayInputStream(b, 8, b.length - 9),
            OutputStream.nullOutputStream(), new byte[ProxySession.RELAY_BUFFER]);
      } catch (IOException | ProtocolException e) {
        // Truncated on purpose.
      }
    }
  }

  @Provide
  Arbitrary<byte[]> hostile() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
    Arbitrary<byte[]> valid = Arbitraries.of(VALID).map(b -> b.clone());
    Arbitrary<byte[]> sequence =
        valid.list().ofMinSize(1).ofMaxSize(4).map(FrameFuzzTest::concat);
    Arbitrary<byte[]> mutated =
        Combinators.combine(sequence, Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16),
                Arbitraries.longs().between(0, 0xffff_ffffL))
            .as(FrameFuzzTest::mutate);
    return Arbitraries.oneOf(random, mutated, mutated);
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

  @Property
  void readingFramesFailsOnlyAsAProtocolErrorAndAllocatesForWhatArrived(
      @ForAll("hostile") byte[] bytes) throws IOException {
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

  @Property
  void relayingFramesUsesItsBufferAndNeverWritesMoreThanArrived(
      @ForAll("hostile") byte[] bytes) throws IOException {
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
