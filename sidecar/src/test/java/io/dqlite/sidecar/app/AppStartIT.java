package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.Client;
import io.dqlite.client.leader.YamlNodeStore;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.sidecar.node.DqliteNode;
import io.dqlite.sidecar.node.UnsupportedFeatureException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting an App: the files it writes, the errors it gives, and {@code ready}. */
class AppStartIT {

  private static final String HOST = "127.0.7.15";

  @TempDir Path tmp;

  @Test
  void invalidVotersAreRefusedBeforeTheDirectoryIsTouched() {
    Path dir = tmp.resolve("never");
    for (int voters : new int[] {1, 2, 4}) {
      assertThatThrownBy(() -> App.builder(dir).address(HOST + ":9001").voters(voters).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid voters " + voters)
          .hasMessageContaining("odd number greater than 1");
    }
    assertThat(dir).doesNotExist();
  }

  @Test
  void firstStartWritesInfoAndClusterYaml_joinersAlsoTheJoinFlag() throws Exception {
    Path dir = tmp.resolve("bootstrap");
    String address = Loopback.freeAddress(HOST);
    try (App app = App.builder(dir).address(address).build()) {
      assertThat(app.id()).isEqualTo(DqliteNode.BOOTSTRAP_ID);
    }
    assertThat(Files.readString(dir.resolve("info.yaml")))
        .isEqualTo("Address: " + address + "\nID: 3297041220608546238\nRole: 0\n");
    assertThat(dir.resolve("join")).doesNotExist();
    assertThat(Files.readString(dir.resolve("cluster.yaml"))).contains("Address: " + address);

    // A joiner whose seed does not answer keeps its join flag (and retries on every start).
    Path joiner = tmp.resolve("joiner");
    try (App app =
        App.builder(joiner)
            .address(Loopback.freeAddress(HOST))
            .cluster(Loopback.freeAddress(HOST))
            .build()) {
      assertThat(app.id()).isNotEqualTo(DqliteNode.BOOTSTRAP_ID).isNotZero();
    }
    assertThat(joiner.resolve("join")).exists();
    assertThat(Files.size(joiner.resolve("join"))).isZero();
  }

  @Test
  void anotherAddressOnRestartIsRefused() throws Exception {
    Path dir = tmp.resolve("n");
    String address = Loopback.freeAddress(HOST);
    App.builder(dir).address(address).build().close();
    assertThatThrownBy(() -> App.builder(dir).address(HOST + ":1").build())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("address " + address + " in info.yaml does not match " + HOST + ":1");
  }

  @Test
  void inconsistentFilesAreRefused() throws Exception {
    Path dir = tmp.resolve("n");
    App.builder(dir).address(Loopback.freeAddress(HOST)).build().close();
    Files.delete(dir.resolve("cluster.yaml"));
    assertThatThrownBy(() -> App.builder(dir).build())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("inconsistent info.yaml and cluster.yaml");
  }

  @Test
  void aBootstrapNodeWithAJoinFlagIsRefused() throws Exception {
    Path dir = tmp.resolve("n");
    App.builder(dir).address(Loopback.freeAddress(HOST)).build().close();
    Files.createFile(dir.resolve("join"));
    assertThatThrownBy(() -> App.builder(dir).build())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bootstrap node can't join a cluster");
  }

  @Test
  void aFailedFirstStartLeavesNoFilesBehind() throws Exception {
    // Disk mode: libdqlite 1.11.1 lacks it, which fails after info.yaml and cluster.yaml exist.
    Path dir = tmp.resolve("disk");
    assertThatThrownBy(
            () -> App.builder(dir).address(Loopback.freeAddress(HOST)).diskMode(true).build())
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("disk mode");
    assertThat(dir.resolve("info.yaml")).doesNotExist();
    assertThat(dir.resolve("cluster.yaml")).doesNotExist();

    // An address in use: the same, and the join flag goes too.
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
      String address = HOST + ":" + busy.getLocalPort();
      Path joiner = tmp.resolve("busy");
      assertThatThrownBy(() -> App.builder(joiner).address(address).cluster(HOST + ":1").build())
          .isInstanceOf(IOException.class)
          .hasMessageContaining(address);
      assertThat(joiner.resolve("info.yaml")).doesNotExist();
      assertThat(joiner.resolve("cluster.yaml")).doesNotExist();
      assertThat(joiner.resolve("join")).doesNotExist();
    }
  }

  @Test
  void readyFailsWhenTheAppIsClosedBeforeItBecameReady() throws Exception {
    // A joiner whose only seed does not answer never becomes ready.
    App app =
        App.builder(tmp.resolve("n"))
            .address(Loopback.freeAddress(HOST))
            .cluster(Loopback.freeAddress(HOST))
            .build();
    CompletableFuture<Throwable> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                app.ready(Duration.ofSeconds(120));
                return null;
              } catch (Throwable e) {
                return e;
              }
            });
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !waiter.isDone());
    app.close();
    app.close(); // idempotent
    assertThat(waiter.get(30, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed before it became ready");
    assertThat(app.isReady()).isFalse();
  }

  @Test
  void aJoinWhoseAddWasAppliedButNeverAnsweredCompletesOnRestart() throws Exception {
    try (App seed = App.builder(tmp.resolve("seed")).address(Loopback.freeAddress(HOST)).build()) {
      seed.ready(Duration.ofSeconds(30));
      // The joiner's first run stops before it reached anyone: it keeps its id and join flag.
      Path dir = tmp.resolve("joiner");
      String address = Loopback.freeAddress(HOST);
      long id;
      try (App first =
          App.builder(dir).address(address).cluster(Loopback.freeAddress(HOST)).build()) {
        id = first.id();
      }
      // Meanwhile its add reached the leader (as when the answer is lost on the way back).
      try (Client leader = seed.leader()) {
        leader.add(new NodeInfo(id, address, NodeRole.SPARE));
      }
      YamlNodeStore.open(dir.resolve("cluster.yaml")).set(List.of(NodeInfo.seed(seed.address())));

      try (App again = App.builder(dir).build()) {
        again.ready(Duration.ofSeconds(30));
        assertThat(again.id()).isEqualTo(id);
        assertThat(dir.resolve("join")).doesNotExist();
      }
    }
  }
}
