package io.dqlite.client.protocol;

/**
 * What a write did.
 *
 * @param lastInsertId {@code sqlite3_last_insert_rowid} after the statement
 * @param rowsAffected {@code sqlite3_changes} after the statement (for exec-sql with several
 *     statements: after the last one)
 */
public record ExecResult(long lastInsertId, long rowsAffected) {}
