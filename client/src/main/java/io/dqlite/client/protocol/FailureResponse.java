package io.dqlite.client.protocol;

/** A request failed. Body: uint64 SQLite/dqlite code, text message. */
public record FailureResponse(long code, String message) implements Response {

  @Override
  public ResponseType type() {
    return ResponseType.FAILURE;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(code).putText(message);
  }

  static FailureResponse decode(BodyReader r) throws ProtocolException {
    return new FailureResponse(r.getUint64(), r.getText("failure message"));
  }
}
