package io.dqlite.bench.sidecar;

import io.dqlite.bench.WriteMode;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What one write is (a picocli mixin of the run and compare commands): a transaction of three
 * requests or one auto-commit request, and whether keys are new or drawn from a fixed set.
 */
final class WriteKind {

  /** Upper bound of {@code --keys}: a fixed set is meant to keep the database small. */
  static final int MAX_KEYS = 10_000_000;

  @Option(
      names = "--autocommit",
      description =
          "Each write is one auto-commit INSERT (DqliteTransactions.inAutoCommit: one request)"
              + " instead of a transaction (BEGIN, INSERT, COMMIT: three requests).")
  boolean autocommit;

  @Option(
      names = "--keys",
      defaultValue = "0",
      description =
          "0: every write inserts a new random key (the database grows); N: writes replace rows"
              + " of N fixed keys (the database stops growing once all N exist).")
  int keys;

  /** The write as the writers need it; refuses, as a usage error of {@code command}, bad keys. */
  Writer.Kind kind(Object command) {
    if (keys < 0 || keys > MAX_KEYS) {
      throw new CommandLine.ParameterException(
          new CommandLine(command), "--keys in [0, " + MAX_KEYS + "], got " + keys);
    }
    return new Writer.Kind(autocommit ? WriteMode.AUTOCOMMIT : WriteMode.TRANSACTION, keys);
  }
}
