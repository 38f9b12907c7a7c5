package io.dqlite.client.protocol;

/**
 * Stops a query whose rows are still streaming; the node answers EMPTY after the remaining row
 * batches. Body: uint64 db.
 */
public record InterruptRequest(int db) implements Request {

  @Override
  public RequestType type() {
    return RequestType.INTERRUPT;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(Integer.toUnsignedLong(db));
  }

  static InterruptRequest decode(BodyReader r) throws ProtocolException {
    return new InterruptRequest(Messages.uint64AsInt(r, "db id"));
  }
}
