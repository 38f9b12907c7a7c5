package io.dqlite.client.protocol;

import java.util.List;

/**
 * Executes a prepared statement with parameters. Body: uint32 db, uint32 stmt, parameter tuple.
 *
 * @param params Java values as {@link Values} maps them
 * @param schema 0 (8-bit parameter count, the only one libdqlite 1.11.1 reads) or 1 (32-bit)
 */
public record ExecRequest(int db, int stmt, List<Object> params, int schema) implements Request {

  public ExecRequest {
    params = ParamLists.copy(params);
  }

  /** A schema-0 request, as libdqlite 1.11.1 expects. */
  public ExecRequest(int db, int stmt, List<?> params) {
    this(db, stmt, ParamLists.copy(params), 0);
  }

  @Override
  public RequestType type() {
    return RequestType.EXEC;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint32(Integer.toUnsignedLong(db)).putUint32(Integer.toUnsignedLong(stmt));
    Tuples.writeParams(w, params, schema);
  }

  static ExecRequest decode(BodyReader r, int schema) throws ProtocolException {
    int db = Messages.uint32AsInt(r);
    int stmt = Messages.uint32AsInt(r);
    return new ExecRequest(db, stmt, Tuples.readParams(r, schema), schema);
  }
}
