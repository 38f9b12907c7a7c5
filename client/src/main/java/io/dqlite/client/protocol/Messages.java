package io.dqlite.client.protocol;

import java.util.function.Consumer;

/** Helpers shared by the message records. */
final class Messages {

  private Messages() {}

  /**
   * Header plus body for a body written by {@code body}, in one array ready for one write. The
   * header's 8 bytes are reserved first and filled in once the body's size is known, so the frame
   * is copied once (to its exact length) rather than body and header assembled afterwards.
   */
  static byte[] frame(int type, int schema, Consumer<BodyWriter> body) {
    BodyWriter w = new BodyWriter(256);
    w.putUint64(0); // the header, filled in below; a word, so the body's alignment is unchanged
    body.accept(w);
    w.pad();
    int bodyBytes = w.size() - MessageHeader.SIZE;
    if (bodyBytes == 0) {
      throw new IllegalStateException("a dqlite message body cannot be empty");
    }
    byte[] out = w.toByteArray();
    byte[] header = MessageHeader.forBody(type, schema, bodyBytes).encode();
    System.arraycopy(header, 0, out, 0, MessageHeader.SIZE);
    return out;
  }

  /** A uint64 on the wire that this API holds in an int (database ids): range-checked. */
  static int uint64AsInt(BodyReader r, String what) throws ProtocolException {
    long v = r.getUint64();
    if (v < 0 || v > 0xffff_ffffL) {
      throw new ProtocolException(what + " out of range: " + Long.toUnsignedString(v), null);
    }
    return (int) v;
  }

  static int uint32AsInt(BodyReader r) throws ProtocolException {
    return (int) r.getUint32();
  }
}
