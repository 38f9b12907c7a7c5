package io.dqlite.bench;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every load-running command shares (a picocli mixin), and their bounds. */
public final class LoadShape {

  @Option(names = "--workers", defaultValue = "1", description = "Concurrent writers.")
  public int workers;

  @Option(names = "--duration", defaultValue = "20", description = "Measured seconds.")
  public int duration;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      description = "Seconds run before measuring (JIT warm-up); errors in it still count.")
  public int warmup;

  @Option(names = "--seed", defaultValue = "1")
  public long seed;

  /** Refuses, as a usage error of {@code command}, a load outside the bounds the loops assume. */
  public void check(Object command) {
    if (workers < 1 || workers > 64 || duration < 1 || duration > 3600 || warmup < 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(command), "workers in [1, 64], duration in [1, 3600] s, warmup >= 0");
    }
  }
}
