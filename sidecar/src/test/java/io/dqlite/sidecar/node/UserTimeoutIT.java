package io.dqlite.sidecar.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.sidecar.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS proxy's TCP sockets carry {@code TCP_USER_TIMEOUT} like the plain raft sockets, so a
 * connection that carried heartbeats into a partition is aborted 10 s after its data stopped being
 * acknowledged instead of sitting in TCP's backoff. The JDK cannot set the option: it goes through
 * the fd, which needs the packages the sidecar jar's manifest opens. Each row runs {@link
 * UserTimeoutProbe} in a child JVM: with the jar's {@code Add-Opens} (as {@code java -jar} applies
 * them), and without (an embedding application), where nothing is set and the sidecar says so.
 */
class UserTimeoutIT {

  @TempDir Path tmp;

  @Test
  void withTheJarsOpensBothSidesOfAProxiedConnectionGetTheUserTimeout() throws Exception {
    List<String> opens = new ArrayList<>();
    for (String module : jarManifestOpens()) {
      opens.add("--add-opens");
      opens.add(module + "=ALL-UNNAMED");
    }
    String output = probe(opens);
    assertThat(output)
        .contains("dialled: " + NativeSockets.USER_TIMEOUT_MILLIS + " ms")
        .contains("accepted: " + NativeSockets.USER_TIMEOUT_MILLIS + " ms");
  }

  @Test
  void withoutThemNothingIsSetAndTheSidecarSaysHowToFixIt() throws Exception {
    String output = probe(List.of());
    assertThat(output)
        .contains("dialled: no fd")
        .contains("TLS connections get no TCP user timeout")
        .contains("--add-opens java.base/java.net=ALL-UNNAMED");
  }

  /** The jar's {@code Add-Opens}: what {@code java -jar} opens to the sidecar. */
  private static List<String> jarManifestOpens() throws Exception {
    Path jar = Path.of(System.getProperty("dqlite.sidecar.jar", "target/dqlite-sidecar.jar"));
    try (JarFile file = new JarFile(jar.toFile())) {
      String opens = file.getManifest().getMainAttributes().getValue("Add-Opens");
      assertThat(opens).as("Add-Opens in %s", jar).isNotBlank();
      return List.of(opens.trim().split("\\s+"));
    }
  }

  private String probe(List<String> jvmFlags) throws Exception {
    return ChildJvm.run(
        tmp.resolve("probe-" + jvmFlags.size() + ".log"),
        Duration.ofSeconds(60),
        jvmFlags,
        UserTimeoutProbe.class);
  }
}
