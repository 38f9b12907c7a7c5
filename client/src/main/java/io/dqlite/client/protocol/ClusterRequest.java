package io.dqlite.client.protocol;

/** Lists the configuration; format 1 includes roles. Body: uint64 format. */
public record ClusterRequest(long format) implements Request {

  @Override
  public RequestType type() {
    return RequestType.CLUSTER;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(format);
  }

  static ClusterRequest decode(BodyReader r) throws ProtocolException {
    return new ClusterRequest(r.getUint64());
  }
}
