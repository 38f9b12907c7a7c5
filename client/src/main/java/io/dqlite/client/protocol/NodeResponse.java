package io.dqlite.client.protocol;

/**
 * The answer to a leader request. Body: uint64 id, text address; id 0 and "" when the node knows no
 * leader (libdqlite 1.11.1 also answers that way from any node that is not a voter).
 */
public record NodeResponse(long id, String address) implements Response {

  @Override
  public ResponseType type() {
    return ResponseType.NODE;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(id).putText(address);
  }

  static NodeResponse decode(BodyReader r) throws ProtocolException {
    return new NodeResponse(r.getUint64(), r.getText("node address"));
  }
}
