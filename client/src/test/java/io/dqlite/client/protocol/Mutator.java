package io.dqlite.client.protocol;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded mutations of a valid message: flipped bits, random bytes, inserted and deleted ranges,
 * truncation, and lies in length and count fields (words of the header, uint64 counts and blob
 * lengths at word boundaries) with the values decoders get wrong: 0, 1, just past what is there,
 * 2^31 - 1, 2^31, 2^32 - 1, 2^63, -1.
 */
final class Mutator {

  private static final long[] LIES = {
    0,
    1,
    2,
    7,
    8,
    9,
    255,
    256,
    0x7fff_ffffL,
    0x8000_0000L,
    0xffff_ffffL,
    0x1_0000_0000L,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    -1,
    -8
  };

  private final SplittableRandom random;

  Mutator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** One to four mutations of {@code frame}. */
  byte[] mutate(byte[] frame) {
    byte[] out = frame.clone();
    int rounds = 1 + random.nextInt(4);
    for (int i = 0; i < rounds; i++) {
      out = once(out);
    }
    return out;
  }

  private byte[] once(byte[] in) {
    if (in.length == 0) {
      return randomBytes(1 + random.nextInt(32));
    }
    return switch (random.nextInt(10)) {
      case 0 -> flipBit(in);
      case 1 -> setByte(in);
      case 2 -> insert(in);
      case 3 -> delete(in);
      case 4 -> Arrays.copyOf(in, random.nextInt(in.length)); // truncate
      case 5, 6 -> lieInWord(in);
      case 7 -> lieInHeader(in);
      case 8 -> duplicate(in);
      default -> lieInUint32(in);
    };
  }

  byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  private byte[] flipBit(byte[] in) {
    byte[] out = in.clone();
    int at = random.nextInt(out.length);
    out[at] ^= (byte) (1 << random.nextInt(8));
    return out;
  }

  private byte[] setByte(byte[] in) {
    byte[] out = in.clone();
    // Bias towards bytes that matter: 0, 0xff, high-bit (UTF-8 lead/continuation), type nibbles.
    int[] interesting = {0, 0xff, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xee, 0x0e, 0x0f, 0x7f};
    out[random.nextInt(out.length)] =
        (byte)
            (random.nextBoolean()
                ? interesting[random.nextInt(interesting.length)]
                : random.nextInt(256));
    return out;
  }

  private byte[] insert(byte[] in) {
    int at = random.nextInt(in.length + 1);
    byte[] extra = randomBytes(1 + random.nextInt(random.nextBoolean() ? 8 : 64));
    byte[] out = new byte[in.length + extra.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(extra, 0, out, at, extra.length);
    System.arraycopy(in, at, out, at + extra.length, in.length - at);
    return out;
  }

  private byte[] delete(byte[] in) {
    int at = random.nextInt(in.length);
    int n = 1 + random.nextInt(Math.min(16, in.length - at));
    byte[] out = new byte[in.length - n];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(in, at + n, out, at, in.length - at - n);
    return out;
  }

  private byte[] duplicate(byte[] in) {
    int at = random.nextInt(in.length);
    int n = 1 + random.nextInt(Math.min(64, in.length - at));
    byte[] out = new byte[in.length + n];
    System.arraycopy(in, 0, out, 0, at + n);
    System.arraycopy(in, at, out, at + n, in.length - at);
    return out;
  }

  /** A uint64 at a word boundary of the body (counts, lengths, ids) replaced by a lie. */
  private byte[] lieInWord(byte[] in) {
    if (in.length < MessageHeader.SIZE + 8) {
      return flipBit(in);
    }
    byte[] out = in.clone();
    int words = (out.length - MessageHeader.SIZE) / 8;
    int at = MessageHeader.SIZE + 8 * random.nextInt(words);
    long v = lie(out.length - at);
    for (int i = 0; i < 8; i++) {
      out[at + i] = (byte) (v >>> (8 * i));
    }
    return out;
  }

  private byte[] lieInUint32(byte[] in) {
    if (in.length < 4) {
      return flipBit(in);
    }
    byte[] out = in.clone();
    int at = 4 * random.nextInt(out.length / 4);
    long v = lie(out.length - at);
    for (int i = 0; i < 4; i++) {
      out[at + i] = (byte) (v >>> (8 * i));
    }
    return out;
  }

  /** The header's word count or type changed. */
  private byte[] lieInHeader(byte[] in) {
    if (in.length < MessageHeader.SIZE) {
      return flipBit(in);
    }
    byte[] out = in.clone();
    if (random.nextBoolean()) {
      long v = lie((out.length - MessageHeader.SIZE) / 8);
      for (int i = 0; i < 4; i++) {
        out[i] = (byte) (v >>> (8 * i));
      }
    } else {
      out[4] = (byte) random.nextInt(24);
    }
    return out;
  }

  private long lie(int available) {
    return switch (random.nextInt(3)) {
      case 0 -> LIES[random.nextInt(LIES.length)];
      case 1 -> available + random.nextInt(-8, 9);
      default -> random.nextLong();
    };
  }
}
