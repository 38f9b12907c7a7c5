package io.dqlite.client.protocol;

/** Removes a node from the configuration (leader only). Body: uint64 id. */
public record RemoveRequest(long id) implements Request {

  @Override
  public RequestType type() {
    return RequestType.REMOVE;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(id);
  }

  static RemoveRequest decode(BodyReader r) throws ProtocolException {
    return new RemoveRequest(r.getUint64());
  }
}
