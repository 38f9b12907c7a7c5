package io.dqlite.client.protocol;

/** The answer to exec and exec-sql. Body: uint64 last insert id, uint64 rows affected. */
public record ResultResponse(long lastInsertId, long rowsAffected) implements Response {

  @Override
  public ResponseType type() {
    return ResponseType.RESULT;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(lastInsertId).putUint64(rowsAffected);
  }

  static ResultResponse decode(BodyReader r) throws ProtocolException {
    return new ResultResponse(r.getUint64(), r.getUint64());
  }
}
