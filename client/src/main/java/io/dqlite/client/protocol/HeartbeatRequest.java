package io.dqlite.client.protocol;

/**
 * A heartbeat with a timestamp. Body: uint64 timestamp. libdqlite 1.11.1 does not dispatch this
 * request: it sends no answer and stops reading the connection, so clients must not send it.
 */
public record HeartbeatRequest(long timestamp) implements Request {

  @Override
  public RequestType type() {
    return RequestType.HEARTBEAT;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(timestamp);
  }

  static HeartbeatRequest decode(BodyReader r) throws ProtocolException {
    return new HeartbeatRequest(r.getUint64());
  }
}
