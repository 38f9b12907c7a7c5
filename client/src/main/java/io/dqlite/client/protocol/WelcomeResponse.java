package io.dqlite.client.protocol;

/** The answer to a client request. Body: uint64 heartbeat timeout (milliseconds). */
public record WelcomeResponse(long heartbeatTimeout) implements Response {

  @Override
  public ResponseType type() {
    return ResponseType.WELCOME;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(heartbeatTimeout);
  }

  static WelcomeResponse decode(BodyReader r) throws ProtocolException {
    return new WelcomeResponse(r.getUint64());
  }
}
