package io.dqlite.client.protocol;

/** Sets the weight of the node this connection is on. Body: uint64 weight. */
public record WeightRequest(long weight) implements Request {

  @Override
  public RequestType type() {
    return RequestType.WEIGHT;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(weight);
  }

  static WeightRequest decode(BodyReader r) throws ProtocolException {
    return new WeightRequest(r.getUint64());
  }
}
