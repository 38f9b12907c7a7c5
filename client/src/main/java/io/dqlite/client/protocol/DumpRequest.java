package io.dqlite.client.protocol;

/** Asks the node for the files of a database, from its own copy. Body: text name. */
public record DumpRequest(String name) implements Request {

  @Override
  public RequestType type() {
    return RequestType.DUMP;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putText(name);
  }

  static DumpRequest decode(BodyReader r) throws ProtocolException {
    return new DumpRequest(r.getText("database name"));
  }
}
