package io.dqlite.sidecar.app;

import io.dqlite.client.Client;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Java Apps on one loopback IP, for tests: each {@link #start} adds a node (the first bootstraps,
 * the others join every node started so far) and {@link #close()} closes those still open, newest
 * first.
 */
final class AppCluster implements AutoCloseable {

  private final Path dir;
  private final String host;
  private final UnaryOperator<AppBuilder> common;
  private final List<App> apps = new ArrayList<>();
  private int count;

  AppCluster(Path dir, String host, UnaryOperator<AppBuilder> common) {
    this.dir = dir;
    this.host = host;
    this.common = common;
  }

  /** Starts a node with the common options plus {@code extra}, and waits until it is ready. */
  synchronized App start(UnaryOperator<AppBuilder> extra, Duration ready) throws Exception {
    List<String> join = apps.stream().filter(a -> !a.isClosed()).map(App::address).toList();
    count++;
    AppBuilder builder =
        common.apply(App.builder(dir.resolve("n" + count)).address(Loopback.freeAddress(host)));
    App app = extra.apply(builder.cluster(join)).build();
    apps.add(app);
    app.ready(ready);
    return app;
  }

  synchronized App start(Duration ready) throws Exception {
    return start(b -> b, ready);
  }

  synchronized List<App> open() {
    return apps.stream().filter(a -> !a.isClosed()).toList();
  }

  /** The open App that leads now, found through any open App. */
  App leader() throws Exception {
    List<App> open = open();
    try (Client client = open.get(0).leader()) {
      String address = client.address();
      return open.stream()
          .filter(a -> a.address().equals(address))
          .findFirst()
          .orElseThrow(() -> new AssertionError("the leader " + address + " is not an open App"));
    }
  }

  /** The members as the leader lists them. */
  List<NodeInfo> members() throws Exception {
    try (Client client = open().get(0).leader()) {
      return client.cluster();
    }
  }

  /** The members' roles by address. */
  Map<String, NodeRole> roles() throws Exception {
    return members().stream().collect(Collectors.toMap(NodeInfo::address, NodeInfo::role));
  }

  @Override
  public synchronized void close() {
    for (int i = apps.size() - 1; i >= 0; i--) {
      apps.get(i).close();
    }
  }
}
