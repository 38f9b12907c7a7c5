package io.dqlite.client.protocol;

/** The answer to describe. Body: uint64 failure domain, uint64 weight. */
public record MetadataResponse(long failureDomain, long weight) implements Response {

  @Override
  public ResponseType type() {
    return ResponseType.METADATA;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(failureDomain).putUint64(weight);
  }

  static MetadataResponse decode(BodyReader r) throws ProtocolException {
    return new MetadataResponse(r.getUint64(), r.getUint64());
  }
}
