package io.dqlite.client.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cluster.yaml exchanged with go-dqlite 1.11.5: {@code dqlite-demo} and the shell. */
class YamlNodeStoreIT {

  private static final String HOST = "127.0.3.1";
  private static final long BOOTSTRAP_ID = 0x2dc171858c3155beL;
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopProcesses() throws InterruptedException {
    for (Process process : processes) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void readsTheFileAGoNodeWroteAndTheGoNodeReadsOursBack() throws Exception {
    String db = HOST + ":" + freePort();
    Path file = tmp.resolve(db).resolve("cluster.yaml");
    Process demo = startDemo(db);
    await().atMost(DEADLINE).until(() -> Files.exists(file) || !demo.isAlive());

    YamlNodeStore store = YamlNodeStore.open(file);
    assertThat(store.get()).containsExactly(new NodeInfo(BOOTSTRAP_ID, db, NodeRole.VOTER));

    // Stop it, rewrite the file with entries go-dqlite must parse (an unsigned id above 2^63,
    // a bracketed IPv6 address, an abstract socket name), and start it again on the same dir.
    stop(demo);
    List<NodeInfo> ours =
        List.of(
            new NodeInfo(BOOTSTRAP_ID, db, NodeRole.VOTER),
            new NodeInfo(-2L, "[::1]:1", NodeRole.SPARE),
            new NodeInfo(Long.MIN_VALUE, "@dqlite-nowhere", NodeRole.SPARE));
    store.set(ours);
    Process again = startDemo(db);

    // The shell reads our file through its YAML store and finds the leader through it.
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              assertThat(again.isAlive()).as("dqlite-demo restarted on our cluster.yaml").isTrue();
              assertThat(shell("file://" + file, ".cluster"))
                  .isEqualTo("2dc171858c3155be|" + db + "|voter");
            });
  }

  @Test
  void theShellReadsAStoreWithIpv6AndUnsignedIdsThatJavaWrote() throws Exception {
    String db = HOST + ":" + freePort();
    startDemo(db);
    Path file = tmp.resolve("store.yaml");
    // Unreachable entries first: go-dqlite tries them, fails, and moves on to the live node.
    YamlNodeStore.open(file)
        .set(
            List.of(
                new NodeInfo(-1L, "[::1]:1", NodeRole.VOTER),
                new NodeInfo(BOOTSTRAP_ID, db, NodeRole.VOTER)));
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(shell("file://" + file, ".cluster"))
                    .isEqualTo("2dc171858c3155be|" + db + "|voter"));
  }

  private Process startDemo(String db) throws IOException {
    String api = HOST + ":" + freePort();
    Path log = tmp.resolve("demo-" + processes.size() + ".log");
    Process process =
        new ProcessBuilder("dqlite-demo", "-a", api, "-d", db, "-D", tmp.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    processes.add(process);
    return process;
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("dqlite-demo stopped").isTrue();
  }

  private static String shell(String servers, String command) throws Exception {
    Process process = new ProcessBuilder("dqlite", "-s", servers, "demo", command).start();
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      return "timed out";
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return (out + err).strip();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
      return socket.getLocalPort();
    }
  }
}
