package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.client.Client;
import io.dqlite.client.model.NodeInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * go-dqlite's two App examples (app/example_test.go, v1.11.9), with their exact output. The
 * examples use 127.0.0.1:9001..9003; here each node has its own loopback IP in 127.0.7.0/24 with
 * the same fixed ports, so the printed addresses are 127.0.7.N:900N.
 */
class AppSeedExamplesIT {

  private static final Duration READY = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private final List<App> apps = new ArrayList<>();
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @AfterEach
  void closeApps() {
    for (int i = apps.size() - 1; i >= 0; i--) {
      apps.get(i).close();
    }
  }

  private App started(AppBuilder builder) throws Exception {
    App app = builder.build();
    apps.add(app);
    return app;
  }

  private String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  /** Example: the first node has the bootstrap id, and its address survives a restart. */
  @Test
  void example_firstNodeKeepsBootstrapIdAndAddressAcrossRestart() throws Exception {
    Path dir = tmp.resolve("app");

    App node = started(App.builder(dir).address("127.0.7.1:9001"));
    out.printf("0x%x %s%n", node.id(), node.address());
    node.close();

    node = started(App.builder(dir));
    out.printf("0x%x %s%n", node.id(), node.address());

    assertThat(output())
        .isEqualTo("0x2dc171858c3155be 127.0.7.1:9001\n0x2dc171858c3155be 127.0.7.1:9001\n");
  }

  /** ExampleWithCluster: three nodes get distinct ids; the third restarts from its dir alone. */
  @Test
  void exampleWithCluster_distinctIdsAndThirdNodeRestartsFromItsDirectory() throws Exception {
    App node1 = started(App.builder(tmp.resolve("1")).address("127.0.7.1:9001"));
    App node2 =
        started(App.builder(tmp.resolve("2")).address("127.0.7.2:9002").cluster("127.0.7.1:9001"));
    App node3 =
        started(App.builder(tmp.resolve("3")).address("127.0.7.3:9003").cluster("127.0.7.1:9001"));

    out.println(
        (node1.id() != node2.id())
            + " "
            + (node1.id() != node3.id())
            + " "
            + (node2.id() != node3.id()));

    long id3 = node3.id();
    node3.close();
    node3 = started(App.builder(tmp.resolve("3")));

    out.println((node3.id() == id3) + " " + node3.address());

    assertThat(output()).isEqualTo("true true true\ntrue 127.0.7.3:9003\n");

    // Beyond the example: the restarted node completes its join and all three are members.
    node1.ready(READY);
    node2.ready(READY);
    node3.ready(READY);
    try (Client leader = node1.leader()) {
      assertThat(leader.cluster())
          .extracting(NodeInfo::id)
          .containsExactlyInAnyOrder(node1.id(), node2.id(), id3);
    }
  }
}
