package io.dqlite.client.protocol;

/** Finalizes a prepared statement. Body: uint32 db, uint32 stmt. */
public record FinalizeRequest(int db, int stmt) implements Request {

  @Override
  public RequestType type() {
    return RequestType.FINALIZE;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint32(Integer.toUnsignedLong(db)).putUint32(Integer.toUnsignedLong(stmt));
  }

  static FinalizeRequest decode(BodyReader r) throws ProtocolException {
    return new FinalizeRequest(Messages.uint32AsInt(r), Messages.uint32AsInt(r));
  }
}
