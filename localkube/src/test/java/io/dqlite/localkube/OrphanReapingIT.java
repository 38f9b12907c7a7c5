package io.dqlite.localkube;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.localkube.process.ProcessTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a killed test JVM leaves behind is reaped by the next start: control-plane components named
 * by run/*.pid (only if their command line names the state directory) and pod processes named by
 * agent/pods/UID/containers/*.pid (only if their start time matches). Real processes, no cluster.
 */
class OrphanReapingIT {
  @TempDir Path work;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(p -> ProcessTrees.destroy(p.toHandle(), Duration.ofSeconds(5)));
  }

  @Test
  void reapsTheProcessesOfAStateDirectoryWhoseJvmIsGone() throws Exception {
    Path dir = Files.createDirectories(work.resolve("cp-dead"));
    Process deadJvm = start("true");
    deadJvm.waitFor();
    Files.writeString(dir.resolve("owner.pid"), Long.toString(deadJvm.pid()));
    // A "component": its command line names the state directory, as the real ones do.
    Process component = start("sh", "-c", "sleep 300", dir + "/etcd-data");
    write(dir.resolve("run/etcd.pid"), Long.toString(component.pid()));
    // A stranger recorded under a component's name (a reused PID) must survive.
    Process stranger = start("sleep", "300");
    write(dir.resolve("run/kube-apiserver.pid"), Long.toString(stranger.pid()));
    // A pod process with its start time, and one whose recorded start time does not match.
    Process pod = start("sleep", "300");
    write(
        dir.resolve("agent/pods/u1/containers/c.pid"),
        pod.pid() + " " + pod.toHandle().info().startInstant().orElseThrow());
    Process reused = start("sleep", "300");
    write(dir.resolve("agent/pods/u2/containers/c.pid"), reused.pid() + " " + Instant.EPOCH);

    Path alive = Files.createDirectories(work.resolve("cp-alive"));
    Files.writeString(alive.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));

    LocalControlPlane.reapOrphans(work);

    assertThat(component.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(pod.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(stranger.isAlive()).isTrue();
    assertThat(reused.isAlive()).isTrue();
    assertThat(dir).doesNotExist();
    assertThat(alive).as("a live JVM's cluster is left alone").exists();
  }

  private Process start(String... argv) throws IOException {
    Process p =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    started.add(p);
    return p;
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
