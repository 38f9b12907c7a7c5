package io.dqlite.client.protocol;

/** Adds a node to the configuration as a spare (leader only). Body: uint64 id, text address. */
public record AddRequest(long id, String address) implements Request {

  @Override
  public RequestType type() {
    return RequestType.ADD;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(id).putText(address);
  }

  static AddRequest decode(BodyReader r) throws ProtocolException {
    return new AddRequest(r.getUint64(), r.getText("node address"));
  }
}
