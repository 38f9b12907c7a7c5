package io.dqlite.client.protocol;

/** An answer with nothing to say. Body: one unused uint64. */
public record EmptyResponse() implements Response {

  @Override
  public ResponseType type() {
    return ResponseType.EMPTY;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(0);
  }

  static EmptyResponse decode(BodyReader r) throws ProtocolException {
    r.getUint64();
    return new EmptyResponse();
  }
}
