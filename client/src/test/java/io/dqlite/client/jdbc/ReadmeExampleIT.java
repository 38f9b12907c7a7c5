package io.dqlite.client.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's JDBC example is the file examples/jdbc runs, and it runs. */
class ReadmeExampleIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void readmeShowsTheExampleThatRuns() throws Exception {
    String example = Files.readString(ROOT.resolve("examples/jdbc/JdbcExample.java")).strip();
    assertThat(Files.readString(ROOT.resolve("README.md"))).contains(example);
  }

  @Test
  void exampleWritesAndReadsThroughTheLeader() throws Exception {
    Process p =
        new ProcessBuilder("bash", ROOT.resolve("examples/jdbc/run.sh").toString())
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("example finished").isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("hello from dqlite");
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }
}
