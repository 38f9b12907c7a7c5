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
    long lastInsertId = r.getUint64(); // a rowid: any int64, negative ones included
    long rowsAffected = r.getUint64();
    if (rowsAffected < 0) {
      // sqlite3_changes64 is never negative: a count past 2^63 is no count.
      throw new ProtocolException(
          "result response counts " + Long.toUnsignedString(rowsAffected) + " rows affected", null);
    }
    return new ResultResponse(lastInsertId, rowsAffected);
  }
}
