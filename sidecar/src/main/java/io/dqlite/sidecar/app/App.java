package io.dqlite.sidecar.app;

import io.dqlite.client.Client;
import io.dqlite.client.jdbc.DqliteDataSource;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.LeaderConnector;
import io.dqlite.client.leader.NoLeaderException;
import io.dqlite.client.leader.NodeStore;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.DqliteTimeoutException;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import io.dqlite.client.net.DefaultDialer;
import io.dqlite.client.net.Dialer;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.sidecar.node.DqliteLibrary;
import io.dqlite.sidecar.node.DqliteNode;
import io.dqlite.sidecar.node.EngineFeatures;
import io.dqlite.sidecar.node.NodeConnector;
import io.dqlite.sidecar.node.NodeOptions;
import io.dqlite.sidecar.proxy.ProxiedNodeConnector;
import io.dqlite.sidecar.proxy.ProxyGroup;
import io.dqlite.sidecar.proxy.ProxyListener;
import io.dqlite.sidecar.proxy.TcpOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.event.Level;

/**
 * A dqlite node that manages itself: a port of go-dqlite's {@code app.App} (app/app.go, v1.11.9) on
 * libdqlite. {@link #builder(Path)}...{@link AppBuilder#build() build()} starts it, like {@code
 * app.New}:
 *
 * <ol>
 *   <li>identity from {@code dir}: on the first start info.yaml is written with the bootstrap id
 *       {@code 0x2dc171858c3155be} (no cluster given) or an id from {@code dqlite_generate_node_id}
 *       plus the {@code join} flag file (cluster given); later starts read it back, and a different
 *       address is refused;
 *   <li>cluster.yaml, the node store, seeded with this node (bootstrap) or the join addresses;
 *   <li>the node on libdqlite: listening on its address (plain TCP; for a DNS name, the IPv4
 *       address it resolves to, or {@link AppBuilder#bindAddress}), or on a private abstract socket
 *       behind a Java proxy (TLS, external connections);
 *   <li>a loop on its own thread that joins the cluster (as a spare, retried every second), keeps
 *       cluster.yaml in step with the leader, takes a voter or stand-by role at start-up when the
 *       cluster lacks one ({@link #ready}), and on the leader adjusts every node's role each {@link
 *       AppBuilder#rolesAdjustmentFrequency roles adjustment period}.
 * </ol>
 *
 * Stop it with {@link #handover(Duration)} (pass leadership and role on), then {@link #close()}.
 * docs/go-dqlite-differences.md, section "App", lists where this differs from go-dqlite.
 */
public final class App implements AutoCloseable {

  /** How long {@link #handover} may take at most, whatever the caller asks (go-dqlite's cap). */
  public static final Duration HANDOVER_CAP = Duration.ofMinutes(1);

  /** How often {@link #open} tries while no leader is reachable, 1 s apart (go-dqlite's 60). */
  static final int OPEN_ATTEMPTS = 60;

  private final long id;
  private final String address;
  private final Path dir;
  private final AppOptions options;
  private final DqliteNode node;
  private final DqliteNode.LastEntry lastEntryAtStart;
  private final String nodeBindAddress;
  private final NodeStore store;
  private final ConnectorConfig connectorConfig;
  private final ProxyGroup proxies;
  private final ProxyListener listener;
  private final ExternalAcceptor acceptor;
  private final Prober prober;
  private final RunLoop loop;
  private final AppDriver driver;
  private final CountDownLatch readyLatch = new CountDownLatch(1);
  private final ReentrantLock handoverLock = new ReentrantLock();
  private volatile boolean ready;
  private volatile boolean closed;
  private final Object closeLock = new Object();

  private App(
      NodeInfo info,
      Path dir,
      AppOptions options,
      DqliteNode node,
      DqliteNode.LastEntry lastEntryAtStart,
      NodeStore store,
      Dialer dialer,
      ProxyGroup proxies,
      ProxyListener listener,
      ExternalAcceptor acceptor,
      boolean join) {
    this.id = info.id();
    this.address = info.address();
    this.dir = dir;
    this.options = options;
    this.node = node;
    this.lastEntryAtStart = lastEntryAtStart;
    this.nodeBindAddress = node.bindAddress();
    this.store = store;
    this.connectorConfig = ConnectorConfig.builder().dialer(dialer).build();
    this.proxies = proxies;
    this.listener = listener;
    this.acceptor = acceptor;
    this.prober = new Prober(hexId(), dialer, options.rolesConfig());
    this.loop = new RunLoop(this, join);
    this.driver = new AppDriver(store, dialer);
  }

  /** The file in an App's directory that holds its identity (id and address). */
  public static final String INFO_FILE = AppFiles.INFO;

  /**
   * The address info.yaml in {@code dir} holds, written on the node's first start; empty when there
   * is no info.yaml (a new node).
   *
   * @throws IOException when info.yaml exists but cannot be read or names no address
   */
  public static Optional<String> storedAddress(Path dir) throws IOException {
    if (!AppFiles.exists(dir, AppFiles.INFO)) {
      return Optional.empty();
    }
    NodeInfo info = AppFiles.readInfo(dir);
    if (info.address() == null || info.address().isEmpty()) {
      throw new IOException(dir.resolve(AppFiles.INFO) + " names no Address");
    }
    return Optional.of(info.address());
  }

  /** Starts collecting options for an App whose files and raft data live in {@code dir}. */
  public static AppBuilder builder(Path dir) {
    return new AppBuilder(dir);
  }

  /**
   * Starts an App with validated options: go-dqlite's {@code New}. Whatever this creates is undone
   * if a later step fails.
   */
  static App start(Path dir, AppOptions o) throws IOException {
    Deque<Runnable> cleanups = new ArrayDeque<>();
    try {
      return start(dir, o, cleanups);
    } catch (IOException | RuntimeException | Error e) {
      while (!cleanups.isEmpty()) {
        cleanups.pop().run();
      }
      throw e;
    }
  }

  private static App start(Path dir, AppOptions o, Deque<Runnable> cleanups) throws IOException {
    String where = "start app in " + dir;
    Files.createDirectories(dir);

    // Identity.
    boolean infoExists = AppFiles.exists(dir, AppFiles.INFO);
    NodeInfo info;
    if (!infoExists) {
      String address = o.address() != null ? o.address() : DefaultAddress.find();
      long id;
      if (o.cluster().isEmpty()) {
        id = DqliteNode.BOOTSTRAP_ID;
      } else {
        id = DqliteLibrary.get().generateNodeId(address);
        AppFiles.writeJoin(dir);
        cleanups.push(() -> AppFiles.removeQuietly(dir, AppFiles.JOIN));
      }
      info = new NodeInfo(id, address, NodeRole.VOTER);
      AppFiles.writeInfo(dir, info);
      cleanups.push(() -> AppFiles.removeQuietly(dir, AppFiles.INFO));
    } else {
      info = AppFiles.readInfo(dir);
      if (info.id() == 0 || info.address().isEmpty()) {
        throw new IOException(
            where + ": " + dir.resolve(AppFiles.INFO) + " lacks the node's ID or Address");
      }
      if (o.address() != null && !o.address().equals(info.address())) {
        throw new IOException(
            where
                + ": address "
                + info.address()
                + " in info.yaml does not match "
                + o.address()
                + " ("
                + dir.resolve(AppFiles.INFO)
                + " was written on the first"
                + " start; a node's address cannot change; leave it out to keep "
                + info.address()
                + ")");
      }
    }
    boolean join = AppFiles.exists(dir, AppFiles.JOIN);
    if (info.id() == DqliteNode.BOOTSTRAP_ID && join) {
      throw new IOException(
          where
              + ": bootstrap node can't join a cluster (info.yaml has the bootstrap ID and a"
              + " join file exists)");
    }

    // Node store.
    boolean storeExists = AppFiles.exists(dir, AppFiles.STORE);
    if (infoExists != storeExists) {
      throw new IOException(
          where
              + ": inconsistent info.yaml and cluster.yaml: "
              + (infoExists
                  ? "info.yaml exists without cluster.yaml"
                  : "cluster.yaml exists without info.yaml"));
    }
    NodeStore store = AppFiles.store(dir);
    if (!storeExists) {
      List<NodeInfo> seeds;
      if (info.id() == DqliteNode.BOOTSTRAP_ID) {
        seeds = List.of(new NodeInfo(0, info.address(), NodeRole.VOTER));
      } else {
        if (o.cluster().isEmpty()) {
          throw new IOException(where + ": no cluster addresses provided");
        }
        seeds = o.cluster().stream().map(NodeInfo::seed).toList();
      }
      store.set(seeds);
      cleanups.push(() -> AppFiles.removeQuietly(dir, AppFiles.STORE));
    }

    // Transports.
    String name = "0x" + Long.toHexString(info.id());
    ProxyGroup proxies = null;
    NodeConnector connector;
    String bind;
    Dialer dialer;
    if (o.externalConnection() != null || o.tls() != null) {
      ProxyGroup group = new ProxyGroup(name);
      cleanups.push(group::close);
      proxies = group;
      dialer =
          o.externalConnection() != null
              ? o.externalConnection().dialer()
              // go-dqlite's proxy keepalive settings on the TCP side, as for proxied connections.
              : o.tls().dial().dialer().withSocketOptions(TcpOptions::apply);
      connector = new ProxiedNodeConnector(dialer, group);
      bind = o.unixSocket().isEmpty() ? "@" : o.unixSocket();
    } else {
      // The connector resolves DNS names for outgoing raft connections; libdqlite binds an IPv4
      // literal, resolved from a DNS-name address once, here, unless given.
      connector = NodeConnector.DEFAULT;
      bind = o.bindAddress() != null ? o.bindAddress() : BindAddress.resolve(info.address());
      dialer = DefaultDialer.INSTANCE;
    }
    DqliteNode node =
        DqliteNode.create(
            NodeOptions.builder(info.id(), info.address(), dir)
                .bindAddress(bind)
                .connector(connector)
                .failureDomain(o.failureDomain())
                .networkLatency(o.networkLatency())
                .snapshot(o.snapshot())
                .diskMode(o.diskMode())
                .autoRecovery(o.autoRecovery())
                .snapshotCompression(o.snapshotCompression())
                .build());
    cleanups.push(node::close);
    // libdqlite describes the log only before the node runs: the catch-up baseline of a restart.
    DqliteNode.LastEntry lastEntry =
        DqliteLibrary.get().features().describeLastEntry() ? node.describeLastEntry() : null;
    node.start();

    String nodeBindAddress = node.bindAddress();
    ProxyListener listener = null;
    ExternalAcceptor acceptor = null;
    if (o.tls() != null) {
      listener =
          ProxyListener.start(
              o.bindAddress() != null ? o.bindAddress() : info.address(),
              o.tls().listen(),
              DefaultDialer.INSTANCE,
              nodeBindAddress,
              proxies);
      cleanups.push(listener::close);
    } else if (o.externalConnection() != null) {
      acceptor =
          ExternalAcceptor.start(name, o.externalConnection().accepted(), nodeBindAddress, proxies);
      cleanups.push(acceptor::close);
    }
    App app =
        new App(info, dir, o, node, lastEntry, store, dialer, proxies, listener, acceptor, join);
    cleanups.push(app.prober::close);
    app.loop.start();
    app.log(
        Level.INFO,
        "started in "
            + dir
            + (join ? ", joining the cluster" : "")
            + (o.tls() != null
                ? ", TLS"
                : o.externalConnection() != null ? ", external connections" : ""));
    return app;
  }

  /** This node's raft id (unsigned 64 bits). */
  public long id() {
    return id;
  }

  /** This node's address, as other nodes know it. */
  public String address() {
    return address;
  }

  /** The data directory. */
  public Path dir() {
    return dir;
  }

  /** The options the App was started with. */
  public AppOptions options() {
    return options;
  }

  /** What the loaded libdqlite can do (disk mode, auto-recovery, ...), detected at load. */
  public EngineFeatures engine() {
    return DqliteLibrary.get().features();
  }

  /**
   * The last entry of the raft log as this node found it on disk at start ({@code
   * dqlite_node_describe_last_entry}); empty on a libdqlite without the call (1.11.1). A node has
   * caught up since its restart once the cluster has replicated past this index to it.
   */
  public Optional<DqliteNode.LastEntry> lastEntryAtStart() {
    return Optional.ofNullable(lastEntryAtStart);
  }

  /** The address libdqlite listens on: this node's address, or its private abstract socket. */
  public String nodeBindAddress() {
    return nodeBindAddress;
  }

  /** The members as last seen (cluster.yaml), read from disk. */
  public NodeStore store() {
    return store;
  }

  /** How the App's clients reach nodes: its dialer (plain, TLS or external) and timeouts. */
  public ConnectorConfig connectorConfig() {
    return connectorConfig;
  }

  /** Whether {@link #ready} would return now. */
  public boolean isReady() {
    return ready;
  }

  /**
   * Waits until the start-up tasks have succeeded: go-dqlite's {@code Ready}. Those are: a leader
   * found, the join done (new nodes), cluster.yaml refreshed, and the voter or stand-by role taken
   * when the cluster lacked one. Unlike go-dqlite, an App closed before it became ready does not
   * count as ready.
   *
   * @throws TimeoutException when not ready within {@code timeout}; the message gives the last
   *     problem the start-up loop met
   * @throws IllegalStateException when the App was closed before it became ready
   */
  public void ready(Duration timeout) throws TimeoutException, InterruptedException {
    if (!readyLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      String problem = loop.lastProblem();
      throw new TimeoutException(
          describe()
              + ": not ready after "
              + timeout.toMillis()
              + " ms"
              + (problem == null ? "" : "; last problem: " + problem));
    }
    if (!ready) {
      throw new IllegalStateException(describe() + ": closed before it became ready");
    }
  }

  /**
   * A client connected to the current leader, found through cluster.yaml with the App's dialer:
   * go-dqlite's {@code Leader}. The caller closes it.
   */
  public Client leader() throws NoLeaderException {
    return Client.findLeader(store, connectorConfig);
  }

  /**
   * A connection to the leader, giving up after {@code timeout}; its requests time out after {@code
   * timeout} too, until the caller sets another.
   */
  ProtocolConnection leaderConnection(Duration timeout) throws NoLeaderException {
    Duration bounded = timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
    return new LeaderConnector(
            store,
            connectorConfig.toBuilder().connectTimeout(bounded).requestTimeout(bounded).build())
        .connect();
  }

  /**
   * A client connected to this node, through its bind address in plain text (with TLS: its private
   * socket, as go-dqlite's {@code Client}). The caller closes it.
   */
  public Client client() throws DqliteException {
    return Client.connect(
        nodeBindAddress, connectorConfig.toBuilder().dialer(DefaultDialer.INSTANCE).build());
  }

  /**
   * A {@link DataSource} for {@code database} whose connections go to the current leader, found
   * through cluster.yaml (read at every leader search) and reached with the App's dialer, in every
   * mode (plain TCP, TLS, external connection): go-dqlite's {@code Open}. Like it, this first
   * checks that a connection can be opened, retrying every second (at most 60 times) while no
   * leader is reachable.
   *
   * @throws SQLException when no connection could be opened
   */
  public DataSource open(String database) throws SQLException, InterruptedException {
    DqliteDataSource dataSource = new DqliteDataSource(store, connectorConfig.dialer(), database);
    SQLException last = null;
    for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        Thread.sleep(RunLoop.RETRY.toMillis());
      }
      try {
        dataSource.getConnection().close();
        return dataSource;
      } catch (SQLException e) {
        if (!"08001".equals(e.getSQLState())) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  /**
   * The JDBC driver bound to this App's cluster: go-dqlite's {@code Driver()}. It takes {@link
   * #jdbcUrl} URLs; its connections find the leader through cluster.yaml and use the App's dialer
   * (plain TCP, TLS or external connection), as {@link #open}'s do, without {@code open}'s initial
   * check. One driver per App; it is not registered with {@code DriverManager}.
   */
  public java.sql.Driver driver() {
    return driver;
  }

  /**
   * The URL of {@code database} for {@link #driver()}: {@code jdbc:dqlite-app:DATABASE}; add JDBC
   * properties as {@code ?property=value&...} (docs/jdbc.md), e.g. {@code ?busyTimeout=5000}.
   */
  public String jdbcUrl(String database) {
    return AppDriver.PREFIX + database;
  }

  /**
   * Passes this node's responsibilities on before it stops: go-dqlite's {@code Handover}. The
   * leader first transfers leadership to another online voter (go-dqlite promotes first; see {@link
   * HandoverPlan} for why not), then a voter or stand-by gets an online node promoted to its role
   * and demotes itself to spare (retried until the deadline: the new leader may need to commit an
   * entry of its term first). A leader that is the only online voter promotes first and transfers
   * to the node it promoted. Every request is bounded by what is left of the deadline. One handover
   * runs at a time: one that finds the App's own running (that of an unfit node, {@link
   * FitnessCheck}) waits for it within the same deadline. Call it before {@link #close()}.
   *
   * @param timeout how long it may take; capped at {@link #HANDOVER_CAP}
   * @throws DqliteException naming the step that failed
   */
  public void handover(Duration timeout) throws DqliteException, InterruptedException {
    handover(timeout, Handover.Observer.NONE);
  }

  /**
   * {@link #handover(Duration)} that gives neither leadership nor this node's role to the nodes in
   * {@code exclude} (members about to be removed): they count as offline for this handover.
   */
  public void handover(Duration timeout, Set<Long> exclude)
      throws DqliteException, InterruptedException {
    handover(timeout, exclude, Handover.Observer.NONE);
  }

  /** {@link #handover(Duration)} with a test's observer. */
  void handover(Duration timeout, Handover.Observer observer)
      throws DqliteException, InterruptedException {
    handover(timeout, Set.of(), observer);
  }

  void handover(Duration timeout, Set<Long> exclude, Handover.Observer observer)
      throws DqliteException, InterruptedException {
    Duration bounded = timeout.compareTo(HANDOVER_CAP) > 0 ? HANDOVER_CAP : timeout;
    long start = System.nanoTime();
    // One handover at a time: the loop's own (StepDown) may be running.
    if (!handoverLock.tryLock(bounded.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new DqliteTimeoutException(
          describe() + ": handover: another handover still ran after " + bounded.toMillis() + " ms",
          address,
          null);
    }
    try {
      runHandover(bounded.minusNanos(System.nanoTime() - start), exclude, observer);
    } finally {
      handoverLock.unlock();
    }
  }

  /**
   * {@link #handover(Duration)} unless another handover is running; false then. For the loop's
   * {@link StepDown}.
   */
  boolean handoverIfIdle(Duration timeout) throws DqliteException, InterruptedException {
    if (!handoverLock.tryLock()) {
      return false;
    }
    try {
      runHandover(timeout, Set.of(), Handover.Observer.NONE);
      return true;
    } finally {
      handoverLock.unlock();
    }
  }

  private void runHandover(Duration timeout, Set<Long> exclude, Handover.Observer observer)
      throws DqliteException, InterruptedException {
    loop.pauseAdjustments(true);
    try {
      new Handover(this, timeout, observer, exclude).run();
    } finally {
      loop.pauseAdjustments(false);
    }
  }

  /**
   * Stops the loop, the proxies and the node, in that order; go-dqlite's {@code Close}. It does not
   * hand over: call {@link #handover} first. Idempotent.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    loop.stop();
    if (!ready) {
      readyLatch.countDown();
    }
    if (listener != null) {
      listener.close();
    }
    if (acceptor != null) {
      acceptor.close();
    }
    if (proxies != null) {
      proxies.close();
    }
    prober.close();
    node.close();
    log(Level.INFO, "closed");
  }

  boolean isClosed() {
    return closed;
  }

  // ---- for the loop and the handover ----

  /** Lets a test see each pause of the run loop (its period). */
  void observeLoopPauses(java.util.function.Consumer<Duration> observer) {
    loop.observePauses(observer);
  }

  Prober prober() {
    return prober;
  }

  void markReady() {
    ready = true;
    readyLatch.countDown();
  }

  void log(Level level, String message) {
    try {
      options.log().log(level, describe() + ": " + message);
    } catch (RuntimeException e) {
      // A faulty log function must not break the App.
    }
  }

  String hexId() {
    return "0x" + Long.toHexString(id);
  }

  String describe() {
    return "app " + hexId() + " (" + address + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
