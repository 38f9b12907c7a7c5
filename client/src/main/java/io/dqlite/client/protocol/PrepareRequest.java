package io.dqlite.client.protocol;

/** Prepares one statement. Body: uint64 db, text sql. */
public record PrepareRequest(int db, String sql) implements Request {

  @Override
  public RequestType type() {
    return RequestType.PREPARE;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(Integer.toUnsignedLong(db)).putText(sql);
  }

  static PrepareRequest decode(BodyReader r) throws ProtocolException {
    return new PrepareRequest(Messages.uint64AsInt(r, "db id"), r.getText("SQL text"));
  }
}
