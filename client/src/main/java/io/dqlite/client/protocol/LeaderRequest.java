package io.dqlite.client.protocol;

/** Asks a node which node it believes is the leader. Body: one unused uint64. */
public record LeaderRequest() implements Request {

  @Override
  public RequestType type() {
    return RequestType.LEADER;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(0);
  }

  static LeaderRequest decode(BodyReader r) throws ProtocolException {
    r.getUint64();
    return new LeaderRequest();
  }
}
