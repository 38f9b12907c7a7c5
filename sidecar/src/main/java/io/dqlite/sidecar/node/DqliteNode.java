package io.dqlite.sidecar.node;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dqlite node running inside this process on libdqlite: raft plus the SQL server, listening on
 * its bind address. Follows go-dqlite's {@code dqlite.Node} (v1.11): create, configure, {@link
 * #start()}, {@link #close()}. Every method is thread-safe; {@link #close()} is idempotent and
 * stops the node first if it runs.
 *
 * <p>libdqlite runs the node on its own thread; see {@code docs/native.md} for the threads, the
 * connect function and who owns which file descriptor.
 */
public final class DqliteNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DqliteNode.class);

  /** The id go-dqlite gives the node that bootstraps a cluster ({@code dqlite.BootstrapID}). */
  public static final long BOOTSTRAP_ID = 0x2dc171858c3155beL;

  static final String DISK_MODE_SYMBOL = EngineFeatures.DISK_MODE;
  private static final String RECOVER_EXT_SYMBOL = EngineFeatures.RECOVER_EXT;

  /** Trampolines of live nodes: C holds their addresses, so the GC must not take them. */
  private static final Set<ConnectTrampoline> LIVE_CALLBACKS = ConcurrentHashMap.newKeySet();

  private enum State {
    CREATED,
    STARTED,
    STOPPED,
    CLOSED
  }

  private final DqliteLibrary library;
  private final NodeOptions options;
  private final ConnectTrampoline trampoline;
  private Pointer handle;
  private State state = State.CREATED;

  private DqliteNode(
      DqliteLibrary library, NodeOptions options, Pointer handle, ConnectTrampoline trampoline) {
    this.library = library;
    this.options = options;
    this.handle = handle;
    this.trampoline = trampoline;
  }

  /**
   * Creates and configures a node, not yet started. Options at their zero value are not passed to
   * libdqlite.
   *
   * @throws UnsupportedFeatureException when an option needs a call the library lacks
   * @throws DqliteNodeException when libdqlite rejects the node or an option
   * @throws NativeLibraryException when libdqlite is not installed
   */
  public static DqliteNode create(NodeOptions options) throws IOException {
    DqliteLibrary library = DqliteLibrary.get();
    String who = describe(options);
    // Checked before anything native is allocated, so there is nothing to undo.
    List<OptionalCall> calls = optionalCalls(options);
    for (OptionalCall call : calls) {
      if (!library.features().has(call.symbol())) {
        throw new UnsupportedFeatureException(
            library.features().missing(call.feature(), call.symbol(), call.remedy(), who),
            options.id(),
            options.address(),
            options.dataDir(),
            call.symbol());
      }
    }
    try {
      Files.createDirectories(options.dataDir());
    } catch (IOException e) {
      throw new IOException("create data directory for " + who + ": " + e, e);
    }
    LibDqlite api = library.api();
    PointerByReference out = new PointerByReference();
    int rc =
        api.dqlite_node_create(options.id(), options.address(), options.dataDir().toString(), out);
    Pointer handle = out.getValue();
    if (rc != 0) {
      String message = handle == null ? "out of memory" : api.dqlite_node_errmsg(handle);
      if (handle != null) {
        api.dqlite_node_destroy(handle);
      }
      throw failure("create node", rc, message, options);
    }
    ConnectTrampoline trampoline =
        options.connector() == null
            ? null
            : new ConnectTrampoline(Long.toHexString(options.id()), options.connector());
    DqliteNode node = new DqliteNode(library, options, handle, trampoline);
    try {
      node.configure(calls);
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  /**
   * A call that only newer libraries export, made while configuring a node.
   *
   * @param feature what it does, for messages ("disk mode")
   * @param symbol the C function
   * @param remedy how to do without it ("turn disk mode off")
   * @param args the arguments after the node handle
   */
  record OptionalCall(String feature, String symbol, String remedy, List<Object> args) {}

  /** The optional calls {@code options} needs, in the order they are made: pure, table-tested. */
  static List<OptionalCall> optionalCalls(NodeOptions options) {
    List<OptionalCall> calls = new ArrayList<>();
    if (options.diskMode()) {
      calls.add(
          new OptionalCall("disk mode", EngineFeatures.DISK_MODE, "turn disk mode off", List.of()));
    }
    if (options.autoRecovery() != null) {
      calls.add(
          new OptionalCall(
              "setting auto-recovery",
              EngineFeatures.AUTO_RECOVERY,
              "leave auto-recovery unset",
              List.of(options.autoRecovery())));
    }
    if (options.snapshotCompression() != null) {
      calls.add(
          new OptionalCall(
              "setting snapshot compression",
              EngineFeatures.SNAPSHOT_COMPRESSION,
              "leave snapshot compression unset",
              List.of(options.snapshotCompression())));
    }
    return calls;
  }

  private void configure(List<OptionalCall> calls) throws DqliteNodeException {
    LibDqlite api = library.api();
    // Always set: libdqlite 1.11.1 aborts the process (an assert on its listener) when a node
    // starts without a bind address.
    String bind = options.bindAddress() == null ? options.address() : options.bindAddress();
    // libdqlite binds right here and gives no errmsg when that fails.
    check(
        "set bind address "
            + bind
            + " (in use? not local? libdqlite 1.11.1 takes IPv4"
            + " host:port or @abstract-name)",
        api.dqlite_node_set_bind_address(handle, bind));
    if (trampoline != null) {
      LIVE_CALLBACKS.add(trampoline);
      check("set connect function", api.dqlite_node_set_connect_func(handle, trampoline, null));
    }
    if (!options.networkLatency().isZero()) {
      check(
          "set network latency " + options.networkLatency(),
          api.dqlite_node_set_network_latency(handle, options.networkLatency().toNanos()));
    }
    if (options.failureDomain() != 0) {
      check(
          "set failure domain " + Long.toUnsignedString(options.failureDomain()),
          api.dqlite_node_set_failure_domain(handle, options.failureDomain()));
    }
    if (!options.snapshot().isDefault()) {
      check(
          "set snapshot params " + options.snapshot(),
          api.dqlite_node_set_snapshot_params(
              handle, options.snapshot().threshold(), options.snapshot().trailing()));
    }
    for (OptionalCall call : calls) {
      Function f =
          library
              .optionalFunction(call.symbol())
              .orElseThrow(() -> new IllegalStateException(call.symbol() + " vanished"));
      List<Object> args = new ArrayList<>();
      args.add(handle);
      args.addAll(call.args());
      check(call.feature() + " " + call.args(), f.invokeInt(args.toArray()));
    }
  }

  /**
   * Starts the node: libdqlite spawns its thread, opens the raft log and listens. Returns once the
   * node accepts connections.
   */
  public synchronized void start() throws DqliteNodeException {
    requireState(State.CREATED, "start");
    check("start node", library.api().dqlite_node_start(handle));
    state = State.STARTED;
    LOG.info("dqlite node {} started, listening on {}", describe(options), bindAddress());
  }

  /**
   * Stops a started node: no new connections, in-flight requests finish, then libdqlite's thread
   * exits. The node cannot be started again; {@link #close()} it.
   */
  public synchronized void stop() throws DqliteNodeException {
    requireState(State.STARTED, "stop");
    state = State.STOPPED;
    check("stop node", library.api().dqlite_node_stop(handle));
    LOG.info("dqlite node {} stopped", describe(options));
  }

  /**
   * Forces the raft configuration to {@code nodes}, for a cluster that lost its majority. Call it
   * on a created, not started node, on exactly one survivor (the one with the most recent log),
   * then copy its data directory to the other survivors and start them all. Roles are kept when the
   * library has {@code dqlite_node_recover_ext} (1.11.1 does); otherwise every node must be a
   * voter.
   */
  public synchronized void recover(List<NodeInfo> nodes) throws DqliteNodeException {
    requireState(State.CREATED, "recover");
    if (nodes.isEmpty()) {
      throw failure("recover", 0, "the new configuration is empty", options);
    }
    List<Memory> keepAlive = new ArrayList<>();
    Optional<Function> ext = library.optionalFunction(RECOVER_EXT_SYMBOL);
    int rc;
    if (ext.isPresent()) {
      // struct dqlite_node_info_ext { uint64 size, id, address (pointer), dqlite_role; }
      Memory infos = new Memory(32L * nodes.size());
      for (int i = 0; i < nodes.size(); i++) {
        NodeInfo node = nodes.get(i);
        Memory address = cString(node.address(), keepAlive);
        infos.setLong(32L * i, 32);
        infos.setLong(32L * i + 8, node.id());
        infos.setLong(32L * i + 16, Pointer.nativeValue(address));
        infos.setLong(32L * i + 24, node.role().code());
      }
      rc = ext.get().invokeInt(new Object[] {handle, infos, nodes.size()});
    } else {
      // struct dqlite_node_info { dqlite_node_id id; const char *address; }
      Memory infos = new Memory(16L * nodes.size());
      for (int i = 0; i < nodes.size(); i++) {
        NodeInfo node = nodes.get(i);
        if (node.role() != NodeRole.VOTER) {
          throw failure(
              "recover",
              0,
              "libdqlite " + library.version() + " can recover voters only, not " + node,
              options);
        }
        infos.setLong(16L * i, node.id());
        infos.setPointer(16L * i + 8, cString(node.address(), keepAlive));
      }
      rc = library.api().dqlite_node_recover(handle, infos, nodes.size());
    }
    // The C strings must outlive the call, which the JIT cannot see by itself.
    Reference.reachabilityFence(keepAlive);
    check("recover with " + nodes, rc);
    LOG.warn("dqlite node {}: raft configuration forced to {}", describe(options), nodes);
  }

  /** The last entry of a node's raft log: its index and term (both unsigned in C). */
  public record LastEntry(long index, long term) {}

  /**
   * {@code dqlite_node_describe_last_entry}: the last entry of the raft log on disk. libdqlite
   * answers only for a created node that has not started (1.18.1's header: "the node must not be
   * running"), so this is the log as the node found it at start, e.g. to pick the most up-to-date
   * survivor for {@link #recover} (higher term wins, then higher index). An empty log gives 0/0.
   *
   * @throws UnsupportedFeatureException on a library without the call (1.11.1)
   */
  public synchronized LastEntry describeLastEntry() throws DqliteNodeException {
    requireState(State.CREATED, "describe last entry");
    Function f =
        library
            .optionalFunction(EngineFeatures.DESCRIBE_LAST_ENTRY)
            .orElseThrow(
                () ->
                    new UnsupportedFeatureException(
                        library
                            .features()
                            .missing(
                                "describing the last log entry",
                                EngineFeatures.DESCRIBE_LAST_ENTRY,
                                "do without it",
                                describe(options)),
                        options.id(),
                        options.address(),
                        options.dataDir(),
                        EngineFeatures.DESCRIBE_LAST_ENTRY));
    try (Memory out = new Memory(16)) {
      out.clear();
      check("describe last entry", f.invokeInt(new Object[] {handle, out, out.share(8)}));
      return new LastEntry(out.getLong(0), out.getLong(8));
    }
  }

  /** The address libdqlite listens on; after start, the name it picked for a bind address "@". */
  public synchronized String bindAddress() {
    requireOpen("get bind address");
    return library.api().dqlite_node_get_bind_address(handle);
  }

  public NodeOptions options() {
    return options;
  }

  public long id() {
    return options.id();
  }

  public String address() {
    return options.address();
  }

  /** Stops the node if it runs, then frees it. Idempotent; errors are logged, not thrown. */
  @Override
  public synchronized void close() {
    if (state == State.CLOSED) {
      return;
    }
    if (state == State.STARTED) {
      try {
        stop();
      } catch (DqliteNodeException e) {
        LOG.warn("closing dqlite node: {}", e.getMessage());
      }
    }
    state = State.CLOSED;
    library.api().dqlite_node_destroy(handle);
    handle = null;
    if (trampoline != null) {
      trampoline.shutdown();
      LIVE_CALLBACKS.remove(trampoline);
    }
  }

  private static Memory cString(String value, List<Memory> keepAlive) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    Memory memory = new Memory(bytes.length + 1L);
    memory.write(0, bytes, 0, bytes.length);
    memory.setByte(bytes.length, (byte) 0);
    keepAlive.add(memory);
    return memory;
  }

  private void check(String what, int rc) throws DqliteNodeException {
    if (rc != 0) {
      String message = handle == null ? "" : library.api().dqlite_node_errmsg(handle);
      throw failure(what, rc, message, options);
    }
  }

  private void requireState(State expected, String what) throws DqliteNodeException {
    if (state != expected) {
      throw failure(
          what, 0, "the node is " + state.name().toLowerCase() + ", not " + expected, options);
    }
  }

  private void requireOpen(String what) {
    if (state == State.CLOSED) {
      throw new IllegalStateException(what + ": node " + describe(options) + " is closed");
    }
  }

  private static DqliteNodeException failure(
      String what, int rc, String errmsg, NodeOptions options) {
    String detail = errmsg == null || errmsg.isEmpty() ? "" : ": " + errmsg;
    String code = rc == 0 ? "" : " (rc " + rc + ")";
    return new DqliteNodeException(
        what + " on " + describe(options) + code + detail,
        options.id(),
        options.address(),
        options.dataDir(),
        rc);
  }

  private static String describe(NodeOptions options) {
    return "node 0x"
        + Long.toHexString(options.id())
        + " ("
        + options.address()
        + ", dir "
        + options.dataDir()
        + ")";
  }
}
