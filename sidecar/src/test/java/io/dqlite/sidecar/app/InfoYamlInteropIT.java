package io.dqlite.sidecar.app;

import static io.dqlite.sidecar.node.GoDqlite.freeAddress;
import static io.dqlite.sidecar.node.GoDqlite.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.sidecar.node.DqliteLibrary;
import io.dqlite.sidecar.node.DqliteNode;
import io.dqlite.sidecar.node.GoDqlite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** info.yaml, cluster.yaml and join, exchanged with go-dqlite 1.11.5 ({@code dqlite-demo}). */
class InfoYamlInteropIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private final List<GoDqlite.Demo> demos = new ArrayList<>();

  @AfterEach
  void stopDemos() {
    for (int i = demos.size() - 1; i >= 0; i--) {
      demos.get(i).close();
    }
  }

  private GoDqlite.Demo demo(String db, String... join) throws Exception {
    GoDqlite.Demo demo = GoDqlite.Demo.start(tmp, db, join);
    demos.add(demo);
    return demo;
  }

  @Test
  void readsTheInfoFilesOfAGoBootstrapNodeAndAGoJoiner() throws Exception {
    GoDqlite.Demo first = demo(freeAddress());
    await().atMost(DEADLINE).until(() -> AppFiles.exists(first.nodeDir(), AppFiles.INFO));
    assertThat(AppFiles.readInfo(first.nodeDir()))
        .isEqualTo(new NodeInfo(DqliteNode.BOOTSTRAP_ID, first.dbAddress, NodeRole.VOTER));

    GoDqlite.Demo second = demo(freeAddress(), first.dbAddress);
    await().atMost(DEADLINE).until(() -> AppFiles.exists(second.nodeDir(), AppFiles.INFO));
    NodeInfo joiner = AppFiles.readInfo(second.nodeDir());
    assertThat(joiner.address()).isEqualTo(second.dbAddress);
    assertThat(joiner.id()).isNotIn(0L, DqliteNode.BOOTSTRAP_ID);

    // go-dqlite drops the join flag once it was added, under the id its info.yaml holds.
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              assertThat(AppFiles.exists(second.nodeDir(), AppFiles.JOIN)).isFalse();
              assertThat(shell(first.dbAddress, "demo", ".cluster").stdout())
                  .contains(Long.toHexString(joiner.id()) + "|" + second.dbAddress + "|");
            });
  }

  @Test
  void aBootstrapDirectoryWrittenByJavaOpensInGoDqlite() throws Exception {
    String db = freeAddress();
    Path nodeDir = Files.createDirectories(tmp.resolve(db));
    // ID 1 is the other id dqlite bootstraps with; go-dqlite would have picked 2dc1..., so
    // seeing 1 proves it used our info.yaml.
    AppFiles.writeInfo(nodeDir, new NodeInfo(1, db, NodeRole.VOTER));
    AppFiles.store(nodeDir).set(List.of(NodeInfo.seed(db)));

    GoDqlite.Demo demo = demo(db);
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(shell(db, "demo", ".cluster").stdout())
                    .as("demo log: %s", demo.log())
                    .isEqualTo("1|" + db + "|voter"));
  }

  @Test
  void aJoinerDirectoryWrittenByJavaJoinsAGoCluster() throws Exception {
    GoDqlite.Demo leader = demo(freeAddress());
    await().atMost(DEADLINE).until(() -> shell(leader.dbAddress, "demo", ".cluster").ok());

    String db = freeAddress();
    Path nodeDir = Files.createDirectories(tmp.resolve(db));
    long id = DqliteLibrary.get().generateNodeId(db);
    AppFiles.writeInfo(nodeDir, new NodeInfo(id, db, NodeRole.VOTER));
    AppFiles.store(nodeDir).set(List.of(NodeInfo.seed(leader.dbAddress)));
    AppFiles.writeJoin(nodeDir);

    // No -j: go-dqlite ignores it anyway once the files exist; the join flag drives the join.
    GoDqlite.Demo joiner = demo(db);
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              assertThat(shell(leader.dbAddress, "demo", ".cluster").stdout())
                  .as("joiner log: %s", joiner.log())
                  .contains(Long.toHexString(id) + "|" + db + "|");
              assertThat(AppFiles.exists(nodeDir, AppFiles.JOIN)).isFalse();
            });
  }
}
