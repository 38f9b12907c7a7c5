package io.dqlite.client.protocol;

/**
 * Asks the node for its failure domain and weight; format 0 is the only one. Body: uint64 format.
 */
public record DescribeRequest(long format) implements Request {

  @Override
  public RequestType type() {
    return RequestType.DESCRIBE;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(format);
  }

  static DescribeRequest decode(BodyReader r) throws ProtocolException {
    return new DescribeRequest(r.getUint64());
  }
}
