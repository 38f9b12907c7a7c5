package io.dqlite.client.protocol;

/**
 * The answer to a prepare request. Body: uint32 db, uint32 stmt id, uint64 parameter count.
 * libdqlite 1.11.1 does not report the unparsed tail of the SQL text.
 */
public record StmtResponse(int db, int id, long params) implements Response {

  @Override
  public ResponseType type() {
    return ResponseType.STMT;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint32(Integer.toUnsignedLong(db)).putUint32(Integer.toUnsignedLong(id)).putUint64(params);
  }

  static StmtResponse decode(BodyReader r) throws ProtocolException {
    return new StmtResponse(Messages.uint32AsInt(r), Messages.uint32AsInt(r), r.getUint64());
  }
}
