package io.dqlite.client.protocol;

import java.util.List;

/**
 * Runs one query given as SQL text. Body: uint64 db, text sql, parameter tuple.
 *
 * @param params Java values as {@link Values} maps them
 * @param schema 0 (8-bit parameter count, the only one libdqlite 1.11.1 reads) or 1 (32-bit)
 */
public record QuerySqlRequest(int db, String sql, List<Object> params, int schema)
    implements Request {

  public QuerySqlRequest {
    params = ParamLists.copy(params);
  }

  /** A schema-0 request, as libdqlite 1.11.1 expects. */
  public QuerySqlRequest(int db, String sql, List<?> params) {
    this(db, sql, ParamLists.copy(params), 0);
  }

  @Override
  public RequestType type() {
    return RequestType.QUERY_SQL;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(Integer.toUnsignedLong(db)).putText(sql);
    Tuples.writeParams(w, params, schema);
  }

  static QuerySqlRequest decode(BodyReader r, int schema) throws ProtocolException {
    int db = Messages.uint64AsInt(r, "db id");
    String sql = r.getText("SQL text");
    return new QuerySqlRequest(db, sql, Tuples.readParams(r, schema), schema);
  }
}
