package io.dqlite.client.protocol;

import java.util.List;

/**
 * Executes SQL text (several statements allowed; parameters bind to the first). Body: uint64 db,
 * text sql, parameter tuple.
 *
 * @param params Java values as {@link Values} maps them
 * @param schema 0 (8-bit parameter count, the only one libdqlite 1.11.1 reads) or 1 (32-bit)
 */
public record ExecSqlRequest(int db, String sql, List<Object> params, int schema)
    implements Request {

  public ExecSqlRequest {
    params = ParamLists.copy(params);
  }

  /** A schema-0 request, as libdqlite 1.11.1 expects. */
  public ExecSqlRequest(int db, String sql, List<?> params) {
    this(db, sql, ParamLists.copy(params), 0);
  }

  @Override
  public RequestType type() {
    return RequestType.EXEC_SQL;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(Integer.toUnsignedLong(db)).putText(sql);
    Tuples.writeParams(w, params, schema);
  }

  static ExecSqlRequest decode(BodyReader r, int schema) throws ProtocolException {
    int db = Messages.uint64AsInt(r, "db id");
    String sql = r.getText("SQL text");
    return new ExecSqlRequest(db, sql, Tuples.readParams(r, schema), schema);
  }
}
