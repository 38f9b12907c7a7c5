package io.dqlite.sidecar.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.sidecar.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    return ChildJvm.run(
        tmp.resolve(mode + ".log"),
        Duration.ofSeconds(60),
        List.of("-Djdk.net.hosts.file=" + hosts),
        NameCacheProbe.class,
        hosts.toString(),
        mode);
  }
}
