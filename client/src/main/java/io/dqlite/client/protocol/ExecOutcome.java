package io.dqlite.client.protocol;

import io.dqlite.client.model.DqliteException;

/**
 * What one of several pipelined writes did ({@link ProtocolConnection#execEach}): its result, or
 * the failure the node answered with (then {@code result} is null).
 */
public record ExecOutcome(ExecResult result, DqliteException failure) {}
