package io.dqlite.client.protocol;

/** Transfers leadership to another voter (leader only). Body: uint64 id. */
public record TransferRequest(long id) implements Request {

  @Override
  public RequestType type() {
    return RequestType.TRANSFER;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(id);
  }

  static TransferRequest decode(BodyReader r) throws ProtocolException {
    return new TransferRequest(r.getUint64());
  }
}
