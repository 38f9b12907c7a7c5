package io.dqlite.client.protocol;

/** The answer to an open request. Body: uint32 db id, uint32 padding. */
public record DbResponse(int id) implements Response {

  @Override
  public ResponseType type() {
    return ResponseType.DB;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint32(Integer.toUnsignedLong(id)).putUint32(0);
  }

  static DbResponse decode(BodyReader r) throws ProtocolException {
    int id = Messages.uint32AsInt(r);
    r.getUint32();
    return new DbResponse(id);
  }
}
