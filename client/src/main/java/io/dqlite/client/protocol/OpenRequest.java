package io.dqlite.client.protocol;

/**
 * Opens a database on the connection (one per connection). Body: text name, uint64 flags, text vfs.
 * libdqlite 1.11.1 ignores flags and vfs; go-dqlite sends 0 and "volatile".
 */
public record OpenRequest(String name, long flags, String vfs) implements Request {

  @Override
  public RequestType type() {
    return RequestType.OPEN;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putText(name).putUint64(flags).putText(vfs);
  }

  static OpenRequest decode(BodyReader r) throws ProtocolException {
    return new OpenRequest(r.getText("database name"), r.getUint64(), r.getText("VFS name"));
  }
}
