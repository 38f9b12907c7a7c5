package io.dqlite.client.protocol;

/**
 * The 8-byte header before every message body: the body length in 8-byte words (uint32), the
 * message type, the schema (called "flags" in libdqlite 1.11.1, which ignores it) and two extra
 * bytes, all little endian.
 *
 * @param words body length in 8-byte words, unsigned
 * @param type request or response type code
 * @param schema the schema revision of the body; 0 everywhere libdqlite 1.11.1 is concerned
 * @param extra unused, 0
 */
public record MessageHeader(long words, int type, int schema, int extra) {

  /** Size of the header on the wire. */
  public static final int SIZE = 8;

  public MessageHeader {
    if (words < 0 || words > 0xffff_ffffL) {
      throw new IllegalArgumentException("words out of uint32 range: " + words);
    }
    if (type < 0 || type > 0xff || schema < 0 || schema > 0xff || extra < 0 || extra > 0xffff) {
      throw new IllegalArgumentException("header field out of range: " + type + "/" + schema);
    }
  }

  /** A header for a body of {@code bodyBytes} (a multiple of 8). */
  public static MessageHeader forBody(int type, int schema, int bodyBytes) {
    if (bodyBytes % 8 != 0) {
      throw new IllegalArgumentException("body of " + bodyBytes + " bytes is not word-aligned");
    }
    return new MessageHeader(bodyBytes / 8, type, schema, 0);
  }

  /** Body length in bytes. */
  public long bodyBytes() {
    return words * 8;
  }

  public byte[] encode() {
    BodyWriter w = new BodyWriter(SIZE);
    w.putUint32(words).putUint8(type).putUint8(schema).putUint16(extra);
    return w.toByteArray();
  }

  public static MessageHeader decode(byte[] bytes) throws ProtocolException {
    if (bytes.length != SIZE) {
      throw new ProtocolException("message header must be 8 bytes, got " + bytes.length, null);
    }
    BodyReader r = new BodyReader(bytes);
    return new MessageHeader(r.getUint32(), r.getUint8(), r.getUint8(), r.getUint16());
  }
}
