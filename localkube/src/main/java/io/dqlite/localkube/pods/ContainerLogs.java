package io.dqlite.localkube.pods;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A container's log files: {@code <restartCount>.log} per run, in its log directory. */
public final class ContainerLogs {
  private ContainerLogs() {}

  /** The latest run's log, or with {@code previous} the one before it. */
  public static Optional<Path> find(Path logDir, boolean previous) {
    if (!Files.isDirectory(logDir)) {
      return Optional.empty();
    }
    List<Path> runs;
    try (Stream<Path> files = Files.list(logDir)) {
      runs =
          files
              .filter(p -> p.getFileName().toString().matches("\\d+\\.log"))
              .sorted(Comparator.comparingInt(ContainerLogs::run).reversed())
              .collect(Collectors.toList());
    } catch (IOException e) {
      return Optional.empty();
    }
    int index = previous ? 1 : 0;
    return runs.size() > index ? Optional.of(runs.get(index)) : Optional.empty();
  }

  private static int run(Path p) {
    String name = p.getFileName().toString();
    return Integer.parseInt(name.substring(0, name.length() - ".log".length()));
  }
}
