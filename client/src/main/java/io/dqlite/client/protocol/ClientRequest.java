package io.dqlite.client.protocol;

/** Registers a client with the leader (go-dqlite sends id 0). Body: uint64 id. */
public record ClientRequest(long id) implements Request {

  @Override
  public RequestType type() {
    return RequestType.CLIENT;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(id);
  }

  static ClientRequest decode(BodyReader r) throws ProtocolException {
    return new ClientRequest(r.getUint64());
  }
}
