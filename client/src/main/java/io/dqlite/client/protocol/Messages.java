package io.dqlite.client.protocol;

import java.util.function.Consumer;

/** Helpers shared by the message records. */
final class Messages {

  private Messages() {}

  /** Header plus body for a body written by {@code body}. */
  static byte[] frame(int type, int schema, Consumer<BodyWriter> body) {
    BodyWriter w = new BodyWriter();
    body.accept(w);
    w.pad();
    if (w.size() == 0) {
      throw new IllegalStateException("a dqlite message body cannot be empty");
    }
    byte[] header = MessageHeader.forBody(type, schema, w.size()).encode();
    byte[] out = new byte[MessageHeader.SIZE + w.size()];
    System.arraycopy(header, 0, out, 0, MessageHeader.SIZE);
    System.arraycopy(w.array(), 0, out, MessageHeader.SIZE, w.size());
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
