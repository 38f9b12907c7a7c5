package io.dqlite.client.protocol;

/**
 * Sent by a raft peer to hand the connection over to raft. Body: uint64 id, text address. Only here
 * so a proxy can recognise it; clients never send it.
 */
public record ConnectRequest(long id, String address) implements Request {

  @Override
  public RequestType type() {
    return RequestType.CONNECT;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(id).putText(address);
  }

  static ConnectRequest decode(BodyReader r) throws ProtocolException {
    return new ConnectRequest(r.getUint64(), r.getText("node address"));
  }
}
