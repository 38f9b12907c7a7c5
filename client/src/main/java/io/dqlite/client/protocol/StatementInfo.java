package io.dqlite.client.protocol;

/**
 * A prepared statement on a connection.
 *
 * @param db the database id it belongs to
 * @param id the statement id to pass to exec, query and finalize
 * @param paramCount how many parameters it takes ({@code sqlite3_bind_parameter_count}); at most
 *     {@link Tuples#MAX_PARAMS_SCHEMA_0} can be bound through libdqlite 1.11
 */
public record StatementInfo(int db, int id, long paramCount) {}
