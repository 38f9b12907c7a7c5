package io.dqlite.client.protocol;

import io.dqlite.client.model.DqliteConnectionException;
import io.dqlite.client.model.DqliteException;
import io.dqlite.client.model.DqliteTimeoutException;
import io.dqlite.client.model.DumpFile;
import io.dqlite.client.model.ErrorCodes;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeMetadata;
import io.dqlite.client.model.NodeRole;
import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.Transport;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to one dqlite node speaking protocol version 1, with one method per request.
 *
 * <p>The node answers one request at a time, so every method is synchronized; a query's {@link
 * Rows} hold the connection until they are read to the end or closed, and any other request in the
 * meantime fails with {@link IllegalStateException}.
 *
 * <p>Every blocking read and write has a deadline, the request timeout. A timeout, an I/O error or
 * a malformed message closes the connection and raises a {@link DqliteConnectionException} (a
 * {@link DqliteTimeoutException} or {@link ProtocolException}); a failure response raises a plain
 * {@link DqliteException} with the node's code and leaves the connection usable.
 */
public final class ProtocolConnection implements AutoCloseable {

  /** The protocol version sent in the handshake. */
  public static final long VERSION = 1;

  /**
   * The default largest response body, 1 GiB. It fits the largest row SQLite can produce (its
   * default SQLITE_MAX_LENGTH, 10^9 bytes, bounds a whole row) plus the wire's per-value overhead,
   * and so any page of rows; and a DUMP of a database (with its WAL) up to about 1 GiB. The client
   * never allocates for bytes it has not received, so the limit bounds what a peer that really
   * sends that much can make it hold; lower it where answers are known to be small.
   */
  public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 30;

  private static final Logger log = LoggerFactory.getLogger(ProtocolConnection.class);

  /**
   * Read buffer: a response's header and body (and often the next batch of rows) then come in one
   * read call instead of two or more; a read of at least this size bypasses it.
   */
  private static final int READ_BUFFER = 16 * 1024;

  /** Requests sent by every connection of this JVM, by type: see {@link #requestsSent()}. */
  private static final LongAdder[] SENT = new LongAdder[RequestType.values().length];

  static {
    for (int i = 0; i < SENT.length; i++) {
      SENT[i] = new LongAdder();
    }
  }

  /** Round trips of every connection of this JVM: see {@link #roundTrips()}. */
  private static final LongAdder ROUND_TRIPS = new LongAdder();

  /**
   * How many times the connections of this JVM have sent and then waited for an answer: requests
   * sent together in one write ({@link #queryAfterExecSql}) count once.
   */
  public static long roundTrips() {
    return ROUND_TRIPS.sum();
  }

  /**
   * How many requests of each type the connections of this JVM have sent so far (types never sent
   * are left out): what a unit of work costs in round trips, measured rather than read from code.
   * The benchmarks print it per unit of work; a test compares two snapshots.
   */
  public static Map<RequestType, Long> requestsSent() {
    Map<RequestType, Long> sent = new EnumMap<>(RequestType.class);
    for (RequestType t : RequestType.values()) {
      long n = SENT[t.ordinal()].sum();
      if (n > 0) {
        sent.put(t, n);
      }
    }
    return sent;
  }

  private final Transport transport;
  private final String address;
  private final InputStream in;
  private final int maxFrameSize;
  private volatile Duration requestTimeout;
  private volatile boolean closed;
  private volatile String closeReason;
  private Rows openRows;

  /**
   * last_insert_rowid() of the node's connection as the last EXEC or EXEC_SQL reported it, while no
   * other request that runs SQL has been sent since; see {@link #lastInsertRowid()}.
   */
  private long lastInsertId;

  private boolean lastInsertIdKnown;

  /** Statement ids prepared and not finalized; see {@link #checkStatement}. */
  private final Set<Integer> liveStatements = new HashSet<>();

  /** Prepared queries interrupted before their end: see {@link #midStep(int)}. */
  private final Set<Integer> midStep = new HashSet<>();

  private ProtocolConnection(Transport transport, Duration requestTimeout, int maxFrameSize) {
    if (maxFrameSize < 8 || maxFrameSize > FrameReader.MAX_LIMIT) {
      transport.close();
      throw new IllegalArgumentException(
          "maxFrameSize must be between 8 and " + FrameReader.MAX_LIMIT + ", got " + maxFrameSize);
    }
    this.transport = transport;
    this.address = transport.address();
    this.in = new BufferedInputStream(transport.input(), READ_BUFFER);
    this.requestTimeout = requestTimeout;
    this.maxFrameSize = maxFrameSize;
  }

  /**
   * Dials {@code address} and performs the handshake, like go-dqlite's {@code client.New}.
   *
   * @throws DqliteConnectionException naming the address when dialling or the handshake fails
   */
  public static ProtocolConnection connect(
      Dialer dialer, String address, Duration dialTimeout, Duration requestTimeout)
      throws DqliteException {
    return connect(dialer, address, dialTimeout, requestTimeout, DEFAULT_MAX_FRAME_SIZE);
  }

  /**
   * Dials {@code address} and performs the handshake; responses whose body is larger than {@code
   * maxFrameSize} bytes are refused (and the connection closed) before they are read.
   *
   * @throws DqliteConnectionException naming the address when dialling or the handshake fails
   */
  public static ProtocolConnection connect(
      Dialer dialer,
      String address,
      Duration dialTimeout,
      Duration requestTimeout,
      int maxFrameSize)
      throws DqliteException {
    Transport transport;
    try {
      transport = dialer.dial(address, dialTimeout);
    } catch (java.net.SocketTimeoutException e) {
      throw new DqliteTimeoutException(
          "dial " + address + ": timed out after " + dialTimeout.toMillis() + " ms", address, e);
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      throw new DqliteConnectionException(
          (message.contains(address) ? message : "dial " + address + ": " + message)
              + " (is a dqlite node listening there?)",
          address,
          e);
    }
    return open(transport, requestTimeout, maxFrameSize);
  }

  /**
   * Performs the handshake on a connected transport (taking ownership of it).
   *
   * @throws DqliteConnectionException when the version cannot be written in time
   */
  public static ProtocolConnection open(Transport transport, Duration requestTimeout)
      throws DqliteException {
    return open(transport, requestTimeout, DEFAULT_MAX_FRAME_SIZE);
  }

  /**
   * Performs the handshake on a connected transport (taking ownership of it), refusing responses
   * whose body is larger than {@code maxFrameSize} bytes.
   *
   * @throws DqliteConnectionException when the version cannot be written in time
   */
  public static ProtocolConnection open(
      Transport transport, Duration requestTimeout, int maxFrameSize) throws DqliteException {
    ProtocolConnection c = new ProtocolConnection(transport, requestTimeout, maxFrameSize);
    byte[] version = new BodyWriter(8).putUint64(VERSION).toByteArray();
    synchronized (c) {
      try (Watchdog.Guard guard = c.arm()) {
        c.write(version, "handshake", guard);
      }
    }
    log.debug("connected to dqlite node {}", c.address);
    return c;
  }

  /** The address this connection was opened to. */
  public String address() {
    return address;
  }

  /** The largest response body this connection accepts, in bytes. */
  public int maxFrameSize() {
    return maxFrameSize;
  }

  /** The deadline of each request (and of each further batch of rows). */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Changes the deadline of later requests. */
  public void setRequestTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("request timeout must be positive: " + timeout);
    }
    this.requestTimeout = timeout;
  }

  /** True once closed, by {@link #close()} or after a broken request. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Asks the node who the leader is.
   *
   * @return the leader as this node knows it (role reported as voter), or empty when it knows none
   *     (libdqlite 1.11.1 also says so from any node that is not a voter)
   */
  public synchronized Optional<NodeInfo> leader() throws DqliteException {
    NodeResponse r = call(new LeaderRequest(), NodeResponse.class);
    if (r.address().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new NodeInfo(r.id(), r.address(), NodeRole.VOTER));
  }

  /**
   * Registers this client with the node, as go-dqlite does once it found the leader.
   *
   * @return the heartbeat timeout the node announces, in milliseconds
   */
  public synchronized long registerClient(long id) throws DqliteException {
    return call(new ClientRequest(id), WelcomeResponse.class).heartbeatTimeout();
  }

  /**
   * Opens database {@code name} on this connection, the only one it can have.
   *
   * @return the database id for later requests (0 with libdqlite 1.11.1)
   */
  public synchronized int open(String name, int flags, String vfs) throws DqliteException {
    return call(new OpenRequest(name, Integer.toUnsignedLong(flags), vfs), DbResponse.class).id();
  }

  /** Opens {@code name} with go-dqlite's arguments: flags 0 and VFS "volatile" (both ignored). */
  public int open(String name) throws DqliteException {
    return open(name, 0, "volatile");
  }

  /** Prepares one statement; text after the first statement is ignored by the node. */
  public synchronized StatementInfo prepare(int db, String sql) throws DqliteException {
    StmtResponse r = call(new PrepareRequest(db, sql), StmtResponse.class);
    liveStatements.add(r.id());
    return new StatementInfo(r.db(), r.id(), r.params());
  }

  /**
   * Executes a prepared statement (leader only).
   *
   * @param params Java values as {@link Values} maps them; at most 255
   * @throws IllegalArgumentException for an unsupported parameter or too many
   */
  public synchronized ExecResult exec(int db, int stmt, List<?> params) throws DqliteException {
    checkStatement(RequestType.EXEC, stmt);
    ResultResponse r = call(new ExecRequest(db, stmt, params), ResultResponse.class);
    midStep.remove(stmt); // run again: binding reset it
    return executed(r);
  }

  /** The most writes {@link #execEach} sends before it reads their answers. */
  static final int PIPELINE_WINDOW = 64;

  /**
   * Runs prepared statement {@code stmt} once per parameter list (leader only), sending up to
   * {@link #PIPELINE_WINDOW} EXEC requests in one write before reading their answers in order: one
   * round trip per window instead of one per write. The node runs each write whatever happened to
   * the one before, as a batch that goes on after a failure does, so the caller gets every outcome.
   * A broken connection or a timeout still throws, as for {@link #exec}.
   */
  public synchronized List<ExecOutcome> execEach(int db, int stmt, List<? extends List<?>> params)
      throws DqliteException {
    checkStatement(RequestType.EXEC, stmt);
    checkUsable(RequestType.EXEC);
    List<ExecOutcome> outcomes = new ArrayList<>(params.size());
    // Without quick ACKs (a unix socket: see Transport#supportsQuickAck) one write at a time.
    int size = transport.supportsQuickAck() ? PIPELINE_WINDOW : 1;
    for (int from = 0; from < params.size(); from += size) {
      List<? extends List<?>> window = params.subList(from, Math.min(params.size(), from + size));
      ByteArrayOutputStream frames = new ByteArrayOutputStream();
      for (List<?> p : window) {
        frames.writeBytes(encode(new ExecRequest(db, stmt, p)));
      }
      lastInsertIdKnown = false;
      try (Watchdog.Guard guard = arm()) {
        SENT[RequestType.EXEC.ordinal()].add(window.size());
        ROUND_TRIPS.increment();
        write(frames.toByteArray(), "EXEC x" + window.size(), guard);
        for (int i = 0; i < window.size(); i++) {
          // Each answer but the last is held by the node (Nagle) until the one before it is
          // acknowledged: see Transport#quickAck.
          transport.quickAck();
          Response r = read(RequestType.EXEC.toString(), guard);
          try {
            outcomes.add(
                new ExecOutcome(executed(expect(r, ResultResponse.class, RequestType.EXEC)), null));
          } catch (DqliteException e) {
            if (closed) {
              throw e;
            }
            lastInsertIdKnown = false;
            outcomes.add(new ExecOutcome(null, e));
          }
        }
      }
    }
    midStep.remove(stmt); // run again: binding reset it
    return outcomes;
  }

  /**
   * Runs a prepared query (leader only). The rows stream: read them or close them before the next
   * request on this connection.
   */
  public synchronized Rows query(int db, int stmt, List<?> params) throws DqliteException {
    checkStatement(RequestType.QUERY, stmt);
    Rows rows = startRows(db, new QueryRequest(db, stmt, params), stmt);
    midStep.remove(stmt); // run again: binding reset it
    return rows;
  }

  /**
   * Sends EXEC_SQL {@code firstSql} (no parameters) and, in the same write, the prepared query
   * {@code stmt}, without waiting for the first answer: one round trip instead of two. The driver
   * begins a transaction this way with its first read. The node handles the two one after the
   * other. {@code firstDone} runs as soon as the first succeeded, before the query's answer is
   * read. When the first fails, the query's answer is read and dropped (a query changes nothing)
   * and the first's failure is thrown.
   */
  public synchronized Rows queryAfterExecSql(
      int db, String firstSql, Runnable firstDone, int stmt, List<?> params)
      throws DqliteException {
    checkStatement(RequestType.QUERY, stmt);
    Rows rows =
        startRowsAfter(
            db,
            new ExecSqlRequest(db, firstSql, null),
            firstSql,
            firstDone,
            new QueryRequest(db, stmt, params),
            stmt);
    midStep.remove(stmt);
    return rows;
  }

  /** As {@link #queryAfterExecSql}, for a query given as SQL text (QUERY_SQL). */
  public synchronized Rows querySqlAfterExecSql(
      int db, String firstSql, Runnable firstDone, String sql, List<?> params)
      throws DqliteException {
    return startRowsAfter(
        db,
        new ExecSqlRequest(db, firstSql, null),
        firstSql,
        firstDone,
        new QuerySqlRequest(db, sql, params),
        -1);
  }

  /**
   * Whether prepared statement {@code stmt} is a query whose rows were interrupted before their
   * end: libdqlite 1.11.1 leaves it mid-step, holding its read snapshot, until it runs again or is
   * finalized, so it must not be kept idle.
   */
  public synchronized boolean midStep(int stmt) {
    return midStep.contains(stmt);
  }

  private ExecResult executed(ResultResponse r) {
    lastInsertId = r.lastInsertId();
    lastInsertIdKnown = true;
    return new ExecResult(r.lastInsertId(), r.rowsAffected());
  }

  /**
   * What {@code SELECT last_insert_rowid()} would answer on this connection, known without asking:
   * the value the node reported with the last EXEC or EXEC_SQL (libdqlite fills every result with
   * its connection's {@code sqlite3_last_insert_rowid}), provided it succeeded and no request that
   * runs SQL was sent since. Empty when it is not known.
   */
  public synchronized OptionalLong lastInsertRowid() {
    return lastInsertIdKnown && !closed ? OptionalLong.of(lastInsertId) : OptionalLong.empty();
  }

  /** Finalizes a prepared statement. */
  public synchronized void finalizeStatement(int db, int stmt) throws DqliteException {
    checkStatement(RequestType.FINALIZE, stmt);
    call(new FinalizeRequest(db, stmt), EmptyResponse.class);
    liveStatements.remove(stmt);
    midStep.remove(stmt);
  }

  /**
   * Executes SQL text (leader only); several statements are run in order, the parameters bind to
   * the first one only.
   */
  public synchronized ExecResult execSql(int db, String sql, List<?> params)
      throws DqliteException {
    ResultResponse r = call(new ExecSqlRequest(db, sql, params), ResultResponse.class);
    return executed(r);
  }

  /** Runs one query given as SQL text (leader only); see {@link #query}. */
  public synchronized Rows querySql(int db, String sql, List<?> params) throws DqliteException {
    return startRows(db, new QuerySqlRequest(db, sql, params), -1);
  }

  /**
   * Interrupts a streaming query and waits for the node to confirm, discarding the row batches it
   * still sends. {@link Rows#close()} does this itself.
   */
  public synchronized void interrupt(int db) throws DqliteException {
    if (openRows != null) {
      openRows.close();
      return;
    }
    interruptAndDrain(db);
  }

  /**
   * Adds a node to the configuration as a spare (leader only).
   *
   * @throws IllegalArgumentException for id 0, refused without sending: libdqlite 1.11.1 adds a
   *     member with id 0, and 1.18.1 dies on it (an assertion in raft's configurationAdd)
   */
  public synchronized void add(long id, String nodeAddress) throws DqliteException {
    if (id == 0) {
      throw new IllegalArgumentException(
          "node id 0 is not a valid raft id (adding "
              + nodeAddress
              + "): libdqlite 1.18.1 aborts"
              + " on it; give the id from the node's info.yaml");
    }
    call(new AddRequest(id, nodeAddress), EmptyResponse.class);
  }

  /** Assigns a role to a node (leader only). */
  public synchronized void assign(long id, NodeRole role) throws DqliteException {
    call(new AssignRequest(id, Objects.requireNonNull(role, "role")), EmptyResponse.class);
  }

  /** Removes a node from the configuration (leader only). */
  public synchronized void remove(long id) throws DqliteException {
    call(new RemoveRequest(id), EmptyResponse.class);
  }

  /** The files of database {@code name} from this node's copy: the database and its WAL. */
  public synchronized List<DumpFile> dump(String name) throws DqliteException {
    return call(new DumpRequest(name), FilesResponse.class).files();
  }

  /** The configuration as this node knows it, with roles. */
  public synchronized List<NodeInfo> cluster() throws DqliteException {
    return call(new ClusterRequest(NodesResponse.FORMAT_V1), NodesResponse.class).nodes();
  }

  /** Transfers leadership to voter {@code id} (leader only); returns once it moved. */
  public synchronized void transfer(long id) throws DqliteException {
    call(new TransferRequest(id), EmptyResponse.class);
  }

  /** This node's failure domain and weight. */
  public synchronized NodeMetadata describe() throws DqliteException {
    MetadataResponse r = call(new DescribeRequest(0), MetadataResponse.class);
    return new NodeMetadata(r.failureDomain(), r.weight());
  }

  /** Sets this node's weight (kept in memory by the node until it restarts). */
  public synchronized void weight(long weight) throws DqliteException {
    call(new WeightRequest(weight), EmptyResponse.class);
  }

  /** Closes the connection; idempotent, callable from any thread, aborts a request in flight. */
  @Override
  public void close() {
    closeWith("closed by the client");
  }

  private void closeWith(String reason) {
    if (!closed) {
      closeReason = reason;
      closed = true;
      transport.close();
      log.debug("connection to {} closed: {}", address, reason);
    }
  }

  // ---- request plumbing; callers hold the monitor ----

  /** Sends {@code request} and reads one response of the expected class. */
  <T extends Response> T call(Request request, Class<T> expected) throws DqliteException {
    checkUsable(request.type());
    if (request.type() != RequestType.PREPARE && request.type() != RequestType.FINALIZE) {
      lastInsertIdKnown = false; // this request may run SQL: only its own result can say
    }
    byte[] frame = encode(request);
    try (Watchdog.Guard guard = arm()) {
      SENT[request.type().ordinal()].increment();
      ROUND_TRIPS.increment();
      write(frame, request.type().toString(), guard);
      return expect(read(request.type().toString(), guard), expected, request.type());
    }
  }

  private static byte[] encode(Request request) {
    try {
      return request.encode();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(request.type() + " request: " + e.getMessage(), e);
    }
  }

  private Rows startRows(int db, Request request, int stmt) throws DqliteException {
    RowsResponse first = call(request, RowsResponse.class);
    Rows rows = new Rows(this, db, first, stmt);
    if (first.more()) {
      openRows = rows;
    }
    return rows;
  }

  /** See {@link #queryAfterExecSql}; {@code stmt} is -1 for a QUERY_SQL. */
  private Rows startRowsAfter(
      int db, Request first, String firstSql, Runnable firstDone, Request query, int stmt)
      throws DqliteException {
    if (!transport.supportsQuickAck()) {
      // The second answer would wait for a delayed ACK (see Transport#supportsQuickAck): the
      // first, then the query, each in its own round trip, with the same outcome.
      call(first, ResultResponse.class);
      firstDone.run();
      return startRows(db, query, stmt);
    }
    checkUsable(query.type());
    lastInsertIdKnown = false;
    byte[] a = encode(first);
    byte[] b = encode(query);
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    DqliteException firstFailed = null;
    RowsResponse answer = null;
    try (Watchdog.Guard guard = arm()) {
      SENT[first.type().ordinal()].increment();
      SENT[query.type().ordinal()].increment();
      ROUND_TRIPS.increment();
      write(both, first.type() + " + " + query.type(), guard);
      // The node writes the first answer at once and holds the second (Nagle) until the first
      // is acknowledged: acknowledge without the delayed-ACK wait (~40 ms on Linux).
      transport.quickAck();
      try {
        expect(read(first.type().toString(), guard), ResultResponse.class, first.type());
        firstDone.run();
      } catch (DqliteException e) {
        if (closed) {
          throw e; // broken: nothing more to read
        }
        firstFailed = e;
      }
      Response r = read(query.type().toString(), guard);
      if (firstFailed == null) {
        answer = expect(r, RowsResponse.class, query.type());
      } else if (r instanceof RowsResponse rows) {
        answer = rows.more() ? rows : null; // the rest is drained below
      } else if (!(r instanceof FailureResponse)) {
        throw broken(
            new ProtocolException(
                query.type() + ": expected rows or a failure, got " + r.type(), null));
      }
    }
    if (firstFailed != null) {
      if (answer != null) {
        interruptRows(db, stmt);
      }
      throw new DqliteException(
          firstFailed.code(),
          firstFailed.getMessage()
              + " ("
              + firstSql
              + ", sent ahead of the query, whose answer was dropped)",
          address);
    }
    Rows rows = new Rows(this, db, answer, stmt);
    if (answer.more()) {
      openRows = rows;
    }
    return rows;
  }

  /** Reads the next batch of a streaming result set. */
  RowsResponse nextBatch(Rows rows) throws DqliteException {
    try (Watchdog.Guard guard = arm()) {
      Response r = read("query (next rows)", guard);
      if (r instanceof FailureResponse) {
        openRows = null;
      }
      RowsResponse batch = expect(r, RowsResponse.class, RequestType.QUERY);
      if (!batch.columns().equals(rows.columnNames())) {
        // libdqlite repeats the same names in every batch; rows of another shape would be read
        // with the first batch's column indexes.
        openRows = null;
        throw broken(
            new ProtocolException(
                "query (next rows): a batch with columns "
                    + batch.columns()
                    + " in a result set with columns "
                    + rows.columnNames(),
                null));
      }
      if (!batch.more()) {
        openRows = null;
      }
      return batch;
    } catch (DqliteException e) {
      openRows = null;
      throw e;
    }
  }

  /** Called by rows that reached their end or were closed. */
  void release(Rows rows) {
    if (openRows == rows) {
      openRows = null;
    }
  }

  /** Interrupts the rows of {@code stmt} (-1: a QUERY_SQL, which the node finalizes itself). */
  void interruptRows(int db, int stmt) throws DqliteException {
    if (stmt >= 0) {
      midStep.add(stmt);
    }
    interruptAndDrain(db);
  }

  void interruptAndDrain(int db) throws DqliteException {
    openRows = null;
    if (closed) {
      return;
    }
    try (Watchdog.Guard guard = arm()) {
      SENT[RequestType.INTERRUPT.ordinal()].increment();
      ROUND_TRIPS.increment();
      lastInsertIdKnown = false;
      write(new InterruptRequest(db).encode(), "interrupt", guard);
      while (true) {
        Response r = read("interrupt", guard);
        if (r instanceof EmptyResponse) {
          return;
        }
        if (!(r instanceof RowsResponse) && !(r instanceof FailureResponse)) {
          throw broken(
              new ProtocolException("interrupt: unexpected " + r.type() + " response", null));
        }
      }
    }
  }

  /**
   * Refuses, without sending, a statement id this connection did not prepare or already finalized:
   * libdqlite 1.11.1 dereferences the empty slot such an id names and the whole node crashes
   * (segmentation fault) when a later statement still exists.
   */
  private void checkStatement(RequestType type, int stmt) throws DqliteException {
    if (!closed && !liveStatements.contains(stmt)) {
      throw new DqliteException(
          ErrorCodes.SQLITE_NOTFOUND,
          type
              + " on "
              + address
              + ": no statement with id "
              + stmt
              + " on this connection (never prepared or already finalized); not sent, because"
              + " libdqlite 1.11.1 crashes on such ids",
          address);
    }
  }

  private void checkUsable(RequestType type) throws DqliteException {
    if (closed) {
      throw new DqliteConnectionException(
          type + " on " + address + ": connection is closed (" + closeReason + ")", address, null);
    }
    if (openRows != null) {
      throw new IllegalStateException(
          type
              + " on "
              + address
              + ": a result set is still streaming on this connection; read it to the end or"
              + " close it first");
    }
  }

  private Watchdog.Guard arm() {
    return Watchdog.arm(requestTimeout, () -> closeWith("request timed out"));
  }

  private <T extends Response> T expect(Response r, Class<T> expected, RequestType request)
      throws DqliteException {
    if (r instanceof FailureResponse f) {
      throw new DqliteException(
          f.code(),
          request + " on " + address + ": " + f.message() + " (code " + f.code() + ")",
          address);
    }
    if (!expected.isInstance(r)) {
      throw broken(
          new ProtocolException(
              request + ": expected a " + expected.getSimpleName() + ", got " + r.type(), null));
    }
    return expected.cast(r);
  }

  private void write(byte[] frame, String what, Watchdog.Guard guard) throws DqliteException {
    try {
      transport.output().write(frame);
      transport.output().flush();
    } catch (IOException e) {
      throw ioFailure(what, "send", e, guard);
    }
  }

  private Response read(String what, Watchdog.Guard guard) throws DqliteException {
    try {
      FrameReader.Frame frame = FrameReader.read(in, maxFrameSize);
      if (frame == null) {
        throw new EOFException("node closed the connection");
      }
      return Response.decode(frame.header(), frame.body());
    } catch (ProtocolException e) {
      if (guard.fired()) {
        // A transport closed by the deadline can look like a truncated stream.
        throw ioFailure(what, "receive", new IOException(e.getMessage()), guard);
      }
      throw broken(e);
    } catch (IOException e) {
      throw ioFailure(what, "receive", e, guard);
    }
  }

  private ProtocolException broken(ProtocolException e) {
    closeWith("protocol error: " + e.getMessage());
    log.warn("protocol error from dqlite node {}: {}; connection closed", address, e.getMessage());
    return e.address() == null ? e.withAddress(address) : e;
  }

  private DqliteException ioFailure(String what, String step, IOException e, Watchdog.Guard guard) {
    boolean timedOut = guard.fired();
    closeWith(timedOut ? "request timed out" : what + " " + step + " failed");
    if (timedOut) {
      return new DqliteTimeoutException(
          what
              + " on "
              + address
              + ": no answer within "
              + requestTimeout.toMillis()
              + " ms; connection closed",
          address,
          e);
    }
    String cause = e instanceof EOFException ? e.getMessage() : e.toString();
    return new DqliteConnectionException(
        what + " on " + address + ": " + step + " failed: " + cause + "; connection closed",
        address,
        e);
  }
}
