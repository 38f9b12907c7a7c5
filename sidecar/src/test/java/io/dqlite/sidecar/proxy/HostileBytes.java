package io.dqlite.sidecar.proxy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Seeded hostile inputs for the raft port: random bytes, and mutations of real openings (a JDK
 * client's TLS ClientHello, a dqlite client's handshake and first requests). The same seed gives
 * the same cases, so a failure names the seed and case that reproduce it.
 */
public final class HostileBytes {

  private HostileBytes() {}

  /** The first flight of a real TLS client (TLS 1.3 and 1.2 offered), as it goes on the wire. */
  public static byte[] clientHello() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, null, null);
      SSLEngine engine = context.createSSLEngine("dqlite", 9001);
      engine.setUseClientMode(true);
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
      engine.setSSLParameters(parameters);
      ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
      engine.wrap(ByteBuffer.allocate(0), out);
      return Arrays.copyOf(out.array(), out.position());
    } catch (SSLException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("make a ClientHello: " + e.getMessage(), e);
    }
  }

  /**
   * A dqlite client's opening: protocol version 1, then LEADER, CLIENT, OPEN "fuzz" and EXEC_SQL
   * "SELECT 1" requests (dqlite wire format: uint32 words, type, schema, two reserved bytes).
   */
  public static byte[] dqliteOpening() {
    ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(1); // protocol version
    frame(b, 0, new byte[8]); // LEADER, one unused word
    frame(b, 1, le(0)); // CLIENT id 0
    frame(b, 3, concat(text("fuzz"), le(0), text(""))); // OPEN name, flags, vfs
    frame(b, 8, concat(le(0), text("SELECT 1"))); // EXEC_SQL db 0
    return Arrays.copyOf(b.array(), b.position());
  }

  private static void frame(ByteBuffer b, int type, byte[] body) {
    b.putInt(body.length / 8).put((byte) type).put((byte) 0).putShort((short) 0).put(body);
  }

  private static byte[] le(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  /** A zero-terminated string padded to a whole word. */
  private static byte[] text(String s) {
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(raw, (raw.length / 8 + 1) * 8);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }

  /** One case: random bytes (one in eight) or a mutation of {@code template}. */
  public static byte[] next(Random r, byte[] template) {
    if (r.nextInt(8) == 0) {
      byte[] random = new byte[r.nextInt(2048)];
      r.nextBytes(random);
      return random;
    }
    byte[] b = template.clone();
    int mutations = 1 + r.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      b = mutate(r, b);
    }
    return b;
  }

  private static byte[] mutate(Random r, byte[] b) {
    if (b.length == 0) {
      return new byte[] {(byte) r.nextInt(256)};
    }
    int at = r.nextInt(b.length);
    switch (r.nextInt(8)) {
      case 0 -> b[at] ^= (byte) (1 << r.nextInt(8)); // a bit flip
      case 1 -> b[at] = (byte) r.nextInt(256); // a byte replaced
      case 2 -> b = Arrays.copyOf(b, at); // truncated
      case 3 -> { // bytes inserted
        byte[] extra = new byte[1 + r.nextInt(16)];
        r.nextBytes(extra);
        b = concat(Arrays.copyOf(b, at), extra, Arrays.copyOfRange(b, at, b.length));
      }
      case 4 -> b = concat(b, Arrays.copyOfRange(b, at, b.length)); // a tail repeated
      case 5 -> { // a length-like field set to an extreme (TLS: 16/24-bit, dqlite: 32-bit)
        byte v = r.nextBoolean() ? (byte) 0xff : 0;
        for (int i = at; i < Math.min(b.length, at + 1 + r.nextInt(4)); i++) {
          b[i] = v;
        }
      }
      case 6 -> b = concat(b, b); // the whole opening twice
      default -> { // a chunk cut out
        int end = Math.min(b.length, at + 1 + r.nextInt(32));
        b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, end, b.length));
      }
    }
    return b;
  }
}
