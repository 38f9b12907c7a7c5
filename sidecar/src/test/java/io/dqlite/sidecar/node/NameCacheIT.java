package io.dqlite.sidecar.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that restarts is unresolvable for a moment and then comes back with a new IP. With {@link
 * NameCache} the sidecar's JVM sees the new record at once; with the JDK's defaults (the control
 * row) it keeps "unknown host" for 10 s and the old IP for 30 s, which stalled a rolling update's
 * writes until the entry expired. Each row runs {@link NameCacheProbe} in a child JVM, whose
 * resolver reads a hosts file.
 */
class NameCacheIT {

  @TempDir Path tmp;

  @Test
  void withThePolicyARestartedPeerResolvesAtOnceAndItsNewIpIsSeen() throws Exception {
    String output = probe("policy");
    assertThat(output)
        .contains("while unpublished: unknown host")
        .contains("once published: 127.0.0.2")
        .contains("after the IP changed: 127.0.0.3");
  }

  @Test
  void withTheJdkDefaultsTheUnknownHostIsRemembered() throws Exception {
    String output = probe("jdk");
    assertThat(output)
        .contains("while unpublished: unknown host")
        .contains("once published: unknown host")
        .contains("after the IP changed: unknown host");
  }

  private String probe(String mode) throws Exception {
    Path hosts = tmp.resolve("hosts");
    Path log = tmp.resolve(mode + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djdk.net.hosts.file=" + hosts);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(NameCacheProbe.class.getName());
    command.add(hosts.toString());
    command.add(mode);
    Process child =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the probe JVM finished").isTrue();
      String output = Files.readString(log);
      assertThat(child.exitValue()).as("exit status; output:%n%s", output).isZero();
      return output;
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
