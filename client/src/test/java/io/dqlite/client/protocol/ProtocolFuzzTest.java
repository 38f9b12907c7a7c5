package io.dqlite.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutated and random bytes to every decoder: the frame reader on a stream that ends or trickles,
 * and the body decoders of every response and request type. Starting from valid encodings, the
 * {@link Mutator} flips, inserts, deletes and truncates bytes and lies in length and count fields.
 *
 * <p>Properties: only {@link ProtocolException} comes out (never an NPE, an index error, a negative
 * array size, an OutOfMemoryError); nothing hangs; the bytes a decoder allocates stay proportional
 * to the bytes it was given (a count claiming 2^31 elements must not allocate before the bytes
 * exist); and what decodes re-encodes to something that decodes again.
 *
 * <p>Each property runs for {@code -Ddqlite.fuzz.millis} (default 1500) with seed {@code
 * -Ddqlite.fuzz.seed} (default: the clock; printed, and named in every failure).
 */
class ProtocolFuzzTest {

  private static final Logger log = LoggerFactory.getLogger(ProtocolFuzzTest.class);
  private static final long MILLIS = Long.getLong("dqlite.fuzz.millis", 1500);
  private static final long SEED = Long.getLong("dqlite.fuzz.seed", System.nanoTime());

  /** Generous: decoded objects (Strings, boxed values, lists) weigh more than their wire bytes. */
  private static final long BYTES_PER_INPUT_BYTE = 64;

  private static final long ALLOCATION_SLACK = 256 * 1024;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private interface Decoder {
    void decode(byte[] input) throws Exception;
  }

  @Test
  void responseDecodersOnlyRaiseProtocolExceptions() {
    List<byte[]> seeds = FuzzCorpus.responses().stream().map(Response::encode).toList();
    fuzz("response", 1, seeds, ProtocolFuzzTest::decodeResponse);
  }

  @Test
  void requestDecodersOnlyRaiseProtocolExceptions() {
    List<byte[]> seeds = FuzzCorpus.requests().stream().map(Request::encode).toList();
    fuzz("request", 2, seeds, ProtocolFuzzTest::decodeRequest);
  }

  @Test
  void frameReaderOnEndingAndTricklingStreams() {
    List<byte[]> seeds = FuzzCorpus.responses().stream().map(Response::encode).toList();
    fuzz("frame", 3, seeds, ProtocolFuzzTest::readFrames);
  }

  /** Runs {@code decoder} on mutations of {@code seeds} (and pure noise) for the time budget. */
  private static void fuzz(String target, long stream, List<byte[]> seeds, Decoder decoder) {
    long seed = SEED ^ (stream * 0x9e3779b97f4a7c15L);
    log.info("fuzzing {} decoders for {} ms, -Ddqlite.fuzz.seed={}", target, MILLIS, SEED);
    int runs =
        assertTimeoutPreemptively(
            Duration.ofMillis(MILLIS).plusSeconds(60),
            () -> {
              Mutator mutator = new Mutator(seed);
              SplittableRandom pick = new SplittableRandom(seed + 1);
              long end = System.nanoTime() + Duration.ofMillis(MILLIS).toNanos();
              int n = 0;
              // Every seed unmutated first: the decoders must accept what the codecs write. Twice:
              // the first pass loads and initialises classes, which allocates on its own.
              for (int pass = 0; pass < 2; pass++) {
                for (byte[] valid : seeds) {
                  check(target, valid, decoder, true, pass == 1);
                }
              }
              while (System.nanoTime() < end) {
                byte[] input =
                    pick.nextInt(20) == 0
                        ? mutator.randomBytes(pick.nextInt(64))
                        : mutator.mutate(seeds.get(pick.nextInt(seeds.size())));
                check(target, input, decoder, false, true);
                n++;
              }
              return n;
            },
            () -> target + " decoders hung (seed " + SEED + ")");
    log.info("{} {} inputs, none broke a property", runs, target);
    assertThat(runs).isPositive();
  }

  private static void check(
      String target, byte[] input, Decoder decoder, boolean mustDecode, boolean measure) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      decoder.decode(input);
    } catch (ProtocolException e) {
      if (mustDecode) {
        throw new AssertionError(
            target + " decoder refused a valid encoding " + Hex.of(input) + ": " + e, e);
      }
    } catch (Throwable t) {
      throw new AssertionError(
          target
              + " decoder threw "
              + t
              + " for input "
              + Hex.of(input)
              + " (seed "
              + SEED
              + "); only ProtocolException may come out",
          t);
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    long bound = BYTES_PER_INPUT_BYTE * input.length + ALLOCATION_SLACK;
    if (measure && allocated > bound) {
      // Once more: the first run of a path can load classes or fill caches, which is no property
      // of the input; a decoder that allocates for a lying count does so every time.
      allocated = allocatedBy(decoder, input);
    }
    if (measure && allocated > bound) {
      throw new AssertionError(
          target
              + " decoder allocated "
              + allocated
              + " bytes for "
              + input.length
              + " input bytes (bound "
              + bound
              + "): "
              + Hex.of(input)
              + " (seed "
              + SEED
              + ")");
    }
  }

  private static long allocatedBy(Decoder decoder, byte[] input) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      decoder.decode(input);
    } catch (Exception e) {
      // checked above
    }
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }

  /** Header and body as the connection sees them; bodies of both cluster formats. */
  static void decodeResponse(byte[] input) throws ProtocolException {
    if (input.length < MessageHeader.SIZE) {
      MessageHeader.decode(input);
      return;
    }
    MessageHeader header = MessageHeader.decode(Arrays.copyOf(input, MessageHeader.SIZE));
    decodeResponse(header, Arrays.copyOfRange(input, MessageHeader.SIZE, input.length));
  }

  /** Decodes in both cluster formats, re-encodes what decodes; refused when neither decodes. */
  private static void decodeResponse(MessageHeader header, byte[] body) throws ProtocolException {
    ProtocolException refused = null;
    int decoded = 0;
    for (int format = 0; format <= 1; format++) { // a NODES body does not say its format
      Response r;
      try {
        r = Response.decode(header, body, format);
      } catch (ProtocolException e) {
        refused = e;
        continue;
      }
      decoded++;
      if (r instanceof RowsResponse rows) { // what the application reads
        for (Row row : rows.rows()) {
          for (int i = 0; i < row.types().size(); i++) {
            row.javaValue(i);
          }
        }
      }
      byte[] again = r.encode();
      Response.decode(
          MessageHeader.decode(Arrays.copyOf(again, MessageHeader.SIZE)),
          Arrays.copyOfRange(again, MessageHeader.SIZE, again.length),
          format);
    }
    if (decoded == 0) {
      throw refused;
    }
  }

  static void decodeRequest(byte[] input) throws ProtocolException {
    if (input.length < MessageHeader.SIZE) {
      MessageHeader.decode(input);
      return;
    }
    MessageHeader header = MessageHeader.decode(Arrays.copyOf(input, MessageHeader.SIZE));
    byte[] body = Arrays.copyOfRange(input, MessageHeader.SIZE, input.length);
    Request r = Request.decode(header, body);
    byte[] again = r.encode();
    Request.decode(
        MessageHeader.decode(Arrays.copyOf(again, MessageHeader.SIZE)),
        Arrays.copyOfRange(again, MessageHeader.SIZE, again.length));
  }

  /**
   * The input, then a valid frame, on a stream that hands out a few bytes per read and then ends;
   * every frame read is decoded. A small limit makes some headers too large.
   */
  static void readFrames(byte[] input) throws IOException, ProtocolException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(input);
    all.write(new EmptyResponse().encode());
    InputStream in = new Trickle(all.toByteArray(), input.length);
    long limit = (input.length % 3 == 0) ? 512 : FrameReader.MAX_LIMIT; // seeds are smaller
    for (int frames = 0; frames < 100; frames++) {
      FrameReader.Frame f = FrameReader.read(in, limit);
      if (f == null) {
        return;
      }
      if (f.body().length != f.header().bodyBytes()) {
        throw new AssertionError("body of " + f.body().length + " bytes for " + f.header());
      }
      decodeResponse(f.header(), f.body());
    }
  }

  /** Hands out 1 to 13 bytes per read, chosen from a seed, then ends. */
  private static final class Trickle extends InputStream {
    private final byte[] bytes;
    private final SplittableRandom random;
    private int pos;

    Trickle(byte[] bytes, long seed) {
      this.bytes = bytes;
      this.random = new SplittableRandom(seed);
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, 1 + random.nextInt(13)), bytes.length - pos);
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
