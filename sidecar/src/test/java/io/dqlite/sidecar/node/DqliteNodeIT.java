package io.dqlite.sidecar.node;

import static io.dqlite.sidecar.node.GoDqlite.freeAddress;
import static io.dqlite.sidecar.node.GoDqlite.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.sidecar.node.NodeOptions.SnapshotParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@link DqliteNode} on the real libdqlite, checked with go-dqlite's shell. */
class DqliteNodeIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String BOOTSTRAP_HEX = "2dc171858c3155be";

  @TempDir Path tmp;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    // Newest first: joiners go before the node they joined.
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private DqliteNode started(NodeOptions options) throws Exception {
    DqliteNode node = DqliteNode.create(options);
    cleanup.add(node);
    node.start();
    return node;
  }

  @Test
  void bootstrapNodeIsAVoterAndRunsSqlThroughGoShell() throws Exception {
    String address = freeAddress();
    started(NodeOptions.builder(DqliteNode.BOOTSTRAP_ID, address, tmp.resolve("n1")).build());

    GoDqlite.Result cluster = shell(address, "test", ".cluster");
    assertThat(cluster.ok()).as("%s", cluster).isTrue();
    assertThat(cluster.stdout()).isEqualTo(BOOTSTRAP_HEX + "|" + address + "|voter");

    assertThat(shell(address, "test", "CREATE TABLE t (n INT, s TEXT)").ok()).isTrue();
    assertThat(shell(address, "test", "INSERT INTO t VALUES (42, 'hello')").ok()).isTrue();
    GoDqlite.Result select = shell(address, "test", "SELECT n, s FROM t");
    assertThat(select.stdout()).as("%s", select).isEqualTo("42|hello");
  }

  @Test
  void optionsReachLibdqliteAndFailureDomainShowsInDescribe() throws Exception {
    String address = freeAddress();
    started(
        NodeOptions.builder(DqliteNode.BOOTSTRAP_ID, address, tmp.resolve("n1"))
            .failureDomain(7)
            .networkLatency(Duration.ofMillis(5))
            .snapshot(new SnapshotParams(512, 1024))
            .build());

    GoDqlite.Result describe = shell(address, "test", ".describe " + address);
    assertThat(describe.ok()).as("%s", describe).isTrue();
    assertThat(describe.stdout()).contains("7");
  }

  @Test
  void rejectedOptionFailsWithNodeContextAndErrmsg() {
    String address = freeAddress();
    Path dir = tmp.resolve("n1");
    // libdqlite refuses to keep fewer trailing entries than the snapshot threshold.
    NodeOptions options =
        NodeOptions.builder(DqliteNode.BOOTSTRAP_ID, address, dir)
            .snapshot(new SnapshotParams(1024, 8))
            .build();
    assertThatThrownBy(() -> DqliteNode.create(options))
        .isInstanceOf(DqliteNodeException.class)
        .hasMessageContaining("set snapshot params")
        .hasMessageContaining("0x" + BOOTSTRAP_HEX)
        .hasMessageContaining(address)
        .hasMessageContaining(dir.toString());
  }

  @Test
  void bindAddressInUseFailsCreateWithContextAndFreesTheNode() throws Exception {
    String address = freeAddress();
    started(NodeOptions.builder(DqliteNode.BOOTSTRAP_ID, address, tmp.resolve("n1")).build());
    Path dir = tmp.resolve("n2");
    // libdqlite binds when the bind address is set, so the clash shows at create.
    assertThatThrownBy(() -> DqliteNode.create(NodeOptions.builder(2, address, dir).build()))
        .isInstanceOfSatisfying(
            DqliteNodeException.class,
            e -> {
              assertThat(e.returnCode()).isNotZero();
              assertThat(e.nodeId()).isEqualTo(2);
              assertThat(e.dataDir()).isEqualTo(dir);
            })
        .hasMessageStartingWith("set bind address " + address)
        .hasMessageContaining("on node 0x2 (" + address + ", dir " + dir + ")");
  }

  @Test
  void automaticAbstractBindAddressIsReachableThroughNativeSockets() throws Exception {
    DqliteNode node =
        started(
            NodeOptions.builder(DqliteNode.BOOTSTRAP_ID, freeAddress(), tmp.resolve("n1"))
                .bindAddress("@")
                .build());
    String bound = node.bindAddress();
    assertThat(bound).startsWith("@").hasSizeGreaterThan(1);

    try (FdChannel channel = new FdChannel(NativeSockets.connect(bound, Duration.ofSeconds(5)))) {
      assertThat(channel.isOpen()).isTrue();
    }
  }

  @Test
  void namedAbstractAddressAnswersTheProtocolInProcess() throws Exception {
    // libdqlite serves an abstract socket to its own process only (it checks the peer), which is
    // why go-dqlite's shell, another process, cannot use one; a proxy in this JVM can.
    String name = "@dqlite-java-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    DqliteNode node =
        started(
            NodeOptions.builder(DqliteNode.BOOTSTRAP_ID, name, tmp.resolve("n1"))
                .bindAddress(name)
                .build());
    assertThat(node.bindAddress()).isEqualTo(name);

    try (FdChannel channel = new FdChannel(NativeSockets.connect(name, Duration.ofSeconds(5)))) {
      ByteBuffer out = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
      out.putLong(1); // protocol version 1
      out.putInt(1).put((byte) 0).put((byte) 0).putShort((short) 0); // LEADER, 1 word
      out.putLong(0);
      channel.write(out.flip());

      ByteBuffer header = readFully(channel, 8);
      int words = header.getInt(0);
      assertThat(header.get(4)).as("response type (0 is failure)").isNotZero();
      String body = new String(readFully(channel, words * 8).array(), StandardCharsets.UTF_8);
      assertThat(body).contains(name);
    }
  }

  private static ByteBuffer readFully(FdChannel channel, int size) throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < size && buffer.hasRemaining(); i++) {
      assertThat(channel.read(buffer)).as("end of stream").isNotNegative();
    }
    assertThat(buffer.hasRemaining()).isFalse();
    return buffer;
  }

  @Test
  void goDemoNodesJoinAJavaNodeWhoseRaftTrafficGoesThroughTheJavaConnector() throws Exception {
    String address = freeAddress();
    List<String> dialled = new CopyOnWriteArrayList<>();
    NodeConnector counting =
        (target, timeout) -> {
          dialled.add(target);
          return NativeSockets.connect(target, timeout);
        };
    started(
        NodeOptions.builder(DqliteNode.BOOTSTRAP_ID, address, tmp.resolve("java"))
            .connector(counting)
            .build());

    // go-dqlite's App joins as a spare; the third node promotes itself and one other to voter,
    // after which our node (the leader) replicates to both through the connect function.
    GoDqlite.Demo second = demo(tmp.resolve("demo2"), freeAddress(), address);
    await()
        .atMost(DEADLINE)
        .until(() -> shell(address, "test", ".cluster").stdout().contains(second.dbAddress));
    GoDqlite.Demo third = demo(tmp.resolve("demo3"), freeAddress(), address);

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(shell(address, "test", ".cluster").stdout().lines())
                    .as("demo logs: %s %s", second.log(), third.log())
                    .hasSize(3)
                    .allMatch(line -> line.endsWith("|voter")));
    assertThat(dialled).contains(second.dbAddress, third.dbAddress);

    // Writes through a Go node reach our leader and are committed by a quorum with Go voters.
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + second.apiAddress + "/greeting"))
                .PUT(HttpRequest.BodyPublishers.ofString("hello"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as("%s", put.body()).isEqualTo(200);
    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + third.apiAddress + "/greeting")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.body().strip()).isEqualTo("hello");
  }

  private GoDqlite.Demo demo(Path dir, String dbAddress, String join) throws Exception {
    GoDqlite.Demo demo = GoDqlite.Demo.start(dir, dbAddress, join);
    cleanup.add(demo);
    return demo;
  }

  @Test
  void recoverMovesASingleNodeToANewAddressKeepingItsData() throws Exception {
    Path dir = tmp.resolve("n1");
    String oldAddress = freeAddress();
    try (DqliteNode node =
        DqliteNode.create(NodeOptions.builder(DqliteNode.BOOTSTRAP_ID, oldAddress, dir).build())) {
      node.start();
      assertThat(shell(oldAddress, "test", "CREATE TABLE t (n INT)").ok()).isTrue();
      assertThat(shell(oldAddress, "test", "INSERT INTO t VALUES (7)").ok()).isTrue();
    }

    String newAddress = freeAddress();
    DqliteNode moved =
        DqliteNode.create(NodeOptions.builder(DqliteNode.BOOTSTRAP_ID, newAddress, dir).build());
    cleanup.add(moved);
    moved.recover(List.of(new NodeInfo(DqliteNode.BOOTSTRAP_ID, newAddress, NodeRole.VOTER)));
    moved.start();

    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(shell(newAddress, "test", ".cluster").stdout())
                    .isEqualTo(BOOTSTRAP_HEX + "|" + newAddress + "|voter"));
    assertThat(shell(newAddress, "test", "SELECT n FROM t").stdout()).isEqualTo("7");
  }

  @Test
  void diskModeIsATypedErrorFoundBySymbolLookup() {
    DqliteLibrary library = DqliteLibrary.get();
    org.junit.jupiter.api.Assumptions.assumeFalse(
        library.hasSymbol(DqliteNode.DISK_MODE_SYMBOL), "this libdqlite has disk mode");
    Path dir = tmp.resolve("never-created");
    NodeOptions options =
        NodeOptions.builder(DqliteNode.BOOTSTRAP_ID, freeAddress(), dir).diskMode(true).build();

    assertThatThrownBy(() -> DqliteNode.create(options))
        .isInstanceOfSatisfying(
            UnsupportedFeatureException.class,
            e -> assertThat(e.symbol()).isEqualTo("dqlite_node_enable_disk_mode"))
        .hasMessageStartingWith("disk mode is not supported by libdqlite " + library.version())
        .hasMessageContaining("dqlite_node_enable_disk_mode");
    // Nothing was allocated or created before the check.
    assertThat(Files.exists(dir)).isFalse();
  }

  @Test
  void closeIsIdempotentAndStopsAStartedNode() throws Exception {
    String address = freeAddress();
    DqliteNode node =
        DqliteNode.create(
            NodeOptions.builder(DqliteNode.BOOTSTRAP_ID, address, tmp.resolve("n1")).build());
    node.start();
    NativeSockets.close(NativeSockets.connect(address, Duration.ofSeconds(5)));
    node.close();
    node.close();
    assertThatThrownBy(() -> NativeSockets.connect(address, Duration.ofSeconds(5)))
        .as("nothing listens once the node is closed")
        .hasMessageContaining("refused");
    assertThatThrownBy(node::start).isInstanceOf(DqliteNodeException.class);
    assertThatThrownBy(node::bindAddress).isInstanceOf(IllegalStateException.class);
  }
}
