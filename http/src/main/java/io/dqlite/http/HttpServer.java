package io.dqlite.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server on one selector thread, for probes and admin endpoints that must answer
 * whatever other clients do. It reads and parses every request itself, without blocking: a head
 * larger than {@link Limits#maxHeadBytes} gets 431, a body larger than {@link Limits#maxBodyBytes}
 * 413, and a request not complete {@link Limits#readTimeout} after its connection was accepted is
 * closed. Answers carry {@code Connection: close} (one request per connection, as kubelet probes
 * and Prometheus scrapes send) and are written without blocking; one not written within {@link
 * Limits#writeTimeout} is dropped. At most {@link Limits#maxConnections} connections are open: a
 * new one closes the oldest that is still sending its request (else the oldest being written), so
 * that a probe's new connection always gets in.
 *
 * <p>Fast routes answer on the selector thread and must read memory only. Slow routes (anything
 * that does I/O) run on a bounded pool ({@link Builder#slowPool}); when it is full the answer is
 * 503 at once. Neither kind of client can delay the other.
 */
public final class HttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** Accepted per loop turn, so that connections already open are read between bursts. */
  private static final int ACCEPTS_PER_TURN = 32;

  /** How often, at most, closed slow or stalled connections are summed up in the log. */
  private static final long SUMMARY_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Answers one request. */
  @FunctionalInterface
  public interface Handler {
    Response handle(Request request) throws Exception;
  }

  private record Route(Handler handler, boolean slow, Handler gate) {}

  /** Builds and starts a server. */
  public static final class Builder {
    private final String name;
    private final Map<String, Map<String, Route>> routes = new LinkedHashMap<>();
    private Limits limits = Limits.defaults();
    private Handler notFound = r -> Response.text(404, "not found: " + r.path() + "\n");
    private int slowThreads;
    private int slowQueue;
    private String slowBusy = "busy: retry later\n";
    private BooleanSupplier closing = () -> false;

    private Builder(String name) {
      this.name = name;
    }

    /** Bounds on clients; {@link Limits#defaults()} otherwise. */
    public Builder limits(Limits limits) {
      this.limits = limits;
      return this;
    }

    /**
     * A route answered on the selector thread: {@code handler} must not block. {@code GET} routes
     * also answer {@code HEAD} (without the body).
     */
    public Builder fast(String method, String path, Handler handler) {
      return add(method, path, new Route(handler, false, null));
    }

    /** A route answered on the slow pool, which {@link #slowPool} must have set up. */
    public Builder slow(String method, String path, Handler handler) {
      return add(method, path, new Route(handler, true, null));
    }

    /**
     * A slow route whose {@code gate} runs first on the selector thread (it must not block): a
     * non-null answer from it is sent at once and {@code handler} never runs. Refusals (e.g.
     * authentication) thus cost no slot of the slow pool.
     */
    public Builder slow(String method, String path, Handler gate, Handler handler) {
      return add(method, path, new Route(handler, true, gate));
    }

    private Builder add(String method, String path, Route route) {
      routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, route);
      if (method.equals("GET")) {
        routes.get(path).putIfAbsent("HEAD", route);
      }
      return this;
    }

    /** The answer for unknown paths (a fast handler); a plain 404 otherwise. */
    public Builder notFound(Handler handler) {
      this.notFound = handler;
      return this;
    }

    /**
     * The pool of slow routes: {@code threads} threads (created when needed), {@code queue}
     * requests waiting at most; more get 503 with {@code busy} as the body.
     */
    public Builder slowPool(int threads, int queue, String busy) {
      this.slowThreads = threads;
      this.slowQueue = queue;
      this.slowBusy = busy;
      return this;
    }

    /** Starts listening on {@code host:port} (port 0: any free port). */
    public HttpServer start(String host, int port) throws IOException {
      boolean anySlow =
          routes.values().stream().anyMatch(m -> m.values().stream().anyMatch(Route::slow));
      if (anySlow && slowThreads < 1) {
        throw new IllegalStateException("slow routes need slowPool(...)");
      }
      ServerSocketChannel channel = ServerSocketChannel.open();
      Selector selector;
      try {
        channel.bind(new InetSocketAddress(host, port), 128);
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_ACCEPT);
      } catch (IOException e) {
        channel.close();
        throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
      }
      HttpServer server = new HttpServer(this, channel, selector);
      server.thread.start();
      return server;
    }
  }

  /** A builder; {@code name} names the threads and the log lines. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  private enum State {
    READING,
    HANDLING,
    WRITING
  }

  private final class Connection {
    final SocketChannel channel;
    final SelectionKey key;
    final InetSocketAddress remote;
    final long acceptedAt;
    State state = State.READING;
    long deadline;
    final byte[] head = new byte[limits.maxHeadBytes()];
    int headLength;
    RequestHead parsed;
    ByteBuffer body;
    ByteBuffer out;

    Connection(SocketChannel channel, SelectionKey key, long now) throws IOException {
      this.channel = channel;
      this.key = key;
      this.remote = (InetSocketAddress) channel.getRemoteAddress();
      this.acceptedAt = now;
      this.deadline = now + limits.readTimeout().toNanos();
    }
  }

  private record Done(Connection connection, Response response, boolean head) {}

  private final String name;
  private final Limits limits;
  private final Map<String, Map<String, Route>> routes;
  private final Handler notFound;
  private final String slowBusy;
  private final ThreadPoolExecutor slow;
  private final ServerSocketChannel channel;
  private final Selector selector;
  private final Thread thread;
  private final InetSocketAddress address;
  private final Set<Connection> open = new LinkedHashSet<>(); // in accept order
  private final Queue<Done> done = new ConcurrentLinkedQueue<>();
  private final AtomicInteger openCount = new AtomicInteger();
  private final AtomicLong timedOut = new AtomicLong();
  private final AtomicLong evicted = new AtomicLong();
  private long summarizedAt = System.nanoTime();
  private long timedOutSummarized;
  private long evictedSummarized;
  private volatile boolean closed;

  private HttpServer(Builder b, ServerSocketChannel channel, Selector selector) throws IOException {
    this.name = b.name;
    this.limits = b.limits;
    this.routes = Map.copyOf(b.routes);
    this.notFound = b.notFound;
    this.slowBusy = b.slowBusy;
    this.channel = channel;
    this.selector = selector;
    this.address = (InetSocketAddress) channel.getLocalAddress();
    if (b.slowThreads > 0) {
      AtomicInteger n = new AtomicInteger();
      slow =
          new ThreadPoolExecutor(
              b.slowThreads,
              b.slowThreads,
              30,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(Math.max(1, b.slowQueue)),
              r -> daemon(r, name + "-slow-" + n.incrementAndGet()));
      slow.allowCoreThreadTimeOut(true); // idle most of the time: no threads kept for it
    } else {
      slow = null;
    }
    this.thread = daemon(this::loop, name + "-http");
  }

  private static Thread daemon(Runnable r, String threadName) {
    Thread t = new Thread(r, threadName);
    t.setDaemon(true);
    return t;
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return address;
  }

  /** Connections open now. */
  public int openConnections() {
    return openCount.get();
  }

  /** Connections closed so far because their read or write deadline passed. */
  public long timedOutConnections() {
    return timedOut.get();
  }

  /** Connections closed so far to make room for a new one. */
  public long evictedConnections() {
    return evicted.get();
  }

  private void loop() {
    try {
      while (!closed) {
        long now = System.nanoTime();
        expire(now);
        summarize(now);
        long untilDeadline = TimeUnit.NANOSECONDS.toMillis(nextDeadline(now) - now) + 1;
        long waitMs = Math.max(1, Math.min(1000, untilDeadline));
        selector.select(waitMs);
        if (closed) {
          break;
        }
        Done d;
        while ((d = done.poll()) != null) {
          if (d.connection().channel.isOpen()) {
            respond(d.connection(), d.response(), d.head());
          }
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            accept();
          } else if (key.attachment() instanceof Connection c) {
            try {
              if (key.isReadable() && c.state == State.READING) {
                read(c);
              } else if (key.isWritable() && c.state == State.WRITING) {
                write(c);
              }
            } catch (IOException e) {
              log.debug("{}: {}: {}", name, c.remote, e.toString());
              close(c);
            }
          }
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      if (!closed) {
        log.error("{} HTTP server stopped: {}", name, e.toString());
      }
    } finally {
      for (Connection c : new ArrayList<>(open)) {
        close(c);
      }
      try {
        channel.close();
        selector.close();
      } catch (IOException e) {
        log.debug("{}: closing: {}", name, e.toString());
      }
    }
  }

  private long nextDeadline(long now) {
    long next = now + TimeUnit.SECONDS.toNanos(1);
    for (Connection c : open) {
      if (c.state != State.HANDLING && c.deadline - next < 0) {
        next = c.deadline;
      }
    }
    return next;
  }

  private void expire(long now) {
    for (Connection c : new ArrayList<>(open)) {
      if (c.state != State.HANDLING && now - c.deadline >= 0) {
        log.debug(
            "{}: {}: {} deadline passed, closing",
            name,
            c.remote,
            c.state == State.READING ? "read" : "write");
        timedOut.incrementAndGet();
        close(c);
      }
    }
  }

  private void summarize(long now) {
    if (now - summarizedAt < SUMMARY_NANOS) {
      return;
    }
    long t = timedOut.get();
    long e = evicted.get();
    if (t > timedOutSummarized || e > evictedSummarized) {
      log.info(
          "{} HTTP server on {}: closed {} slow or stalled connections on their deadline and"
              + " {} to make room in the last minute",
          name,
          describe(address),
          t - timedOutSummarized,
          e - evictedSummarized);
    }
    summarizedAt = now;
    timedOutSummarized = t;
    evictedSummarized = e;
  }

  private void accept() throws IOException {
    for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
      SocketChannel ch = channel.accept();
      if (ch == null) {
        return;
      }
      if (open.size() >= limits.maxConnections()) {
        makeRoom();
      }
      try {
        ch.configureBlocking(false);
        SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
        Connection c = new Connection(ch, key, System.nanoTime());
        key.attach(c);
        open.add(c);
        openCount.set(open.size());
      } catch (IOException e) {
        log.debug("{}: accepting: {}", name, e.toString());
        ch.close();
      }
    }
  }

  /** Closes the oldest connection still sending its request, else the oldest being written. */
  private void makeRoom() {
    Connection victim = null;
    for (Connection c : open) {
      if (c.state == State.READING) {
        victim = c;
        break;
      }
      if (victim == null && c.state == State.WRITING) {
        victim = c;
      }
    }
    if (victim == null) {
      victim = open.iterator().next();
    }
    evicted.incrementAndGet();
    close(victim);
  }

  private void read(Connection c) throws IOException {
    if (c.parsed == null) {
      ByteBuffer buf = ByteBuffer.wrap(c.head, c.headLength, c.head.length - c.headLength);
      int n = c.channel.read(buf);
      if (n < 0) {
        close(c);
        return;
      }
      c.headLength = buf.position();
      RequestHead.Parse parse = RequestHead.parse(c.head, c.headLength, c.head.length);
      if (parse instanceof RequestHead.Refused r) {
        respond(c, Response.text(r.status(), r.reason() + "\n"), false);
        return;
      }
      if (!(parse instanceof RequestHead.Complete complete)) {
        return;
      }
      RequestHead head = complete.head();
      if (head.contentLength() > limits.maxBodyBytes()) {
        respond(
            c,
            Response.text(413, "request body larger than " + limits.maxBodyBytes() + " bytes\n"),
            false);
        return;
      }
      c.parsed = head;
      c.body = ByteBuffer.allocate((int) head.contentLength());
      int extra = Math.min(c.headLength - head.length(), c.body.capacity());
      c.body.put(c.head, head.length(), extra);
    } else if (c.channel.read(c.body) < 0) {
      close(c);
      return;
    }
    if (!c.body.hasRemaining()) {
      dispatch(c);
    }
  }

  private void dispatch(Connection c) {
    RequestHead h = c.parsed;
    Request request =
        new Request(h.method(), h.path(), h.query(), h.headers(), c.body.array(), c.remote);
    boolean head = h.method().equals("HEAD");
    Map<String, Route> byMethod = routes.get(h.path());
    if (byMethod == null) {
      respond(c, call(notFound, request), head);
      return;
    }
    Route route = byMethod.get(h.method());
    if (route == null) {
      String allow = String.join(", ", byMethod.keySet());
      respond(
          c,
          Response.text(405, h.path() + " accepts " + allow + " only\n").withHeader("Allow", allow),
          head);
      return;
    }
    if (!route.slow()) {
      respond(c, call(route.handler(), request), head);
      return;
    }
    if (route.gate() != null) {
      Response refused = call(route.gate(), request, null);
      if (refused != null) {
        respond(c, refused, head);
        return;
      }
    }
    c.state = State.HANDLING;
    c.key.interestOps(0);
    try {
      slow.execute(
          () -> {
            done.add(new Done(c, call(route.handler(), request), head));
            selector.wakeup();
          });
    } catch (RejectedExecutionException e) {
      respond(c, Response.text(503, closed ? "shutting down\n" : slowBusy), head);
    }
  }

  private Response call(Handler handler, Request request) {
    return call(handler, request, Response.text(500, "no answer\n"));
  }

  private Response call(Handler handler, Request request, Response ifNull) {
    try {
      Response r = handler.handle(request);
      return r != null ? r : ifNull;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Response.text(503, "interrupted\n");
    } catch (Exception | StackOverflowError e) {
      log.warn("{}: {} {} failed: {}", name, request.method(), request.path(), e.toString());
      return Response.text(500, "internal error: " + e.getMessage() + "\n");
    }
  }

  private void respond(Connection c, Response r, boolean head) {
    c.state = State.WRITING;
    c.deadline = System.nanoTime() + limits.writeTimeout().toNanos();
    c.out = r.encode(head);
    try {
      write(c);
    } catch (IOException e) {
      log.debug("{}: {}: {}", name, c.remote, e.toString());
      close(c);
    }
  }

  private void write(Connection c) throws IOException {
    c.channel.write(c.out);
    if (c.out.hasRemaining()) {
      c.key.interestOps(SelectionKey.OP_WRITE);
    } else {
      close(c);
    }
  }

  private void close(Connection c) {
    if (open.remove(c)) {
      openCount.set(open.size());
    }
    c.key.cancel();
    try {
      c.channel.close();
    } catch (IOException e) {
      log.debug("{}: {}: closing: {}", name, c.remote, e.toString());
    }
  }

  private static String describe(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  /** Stops listening, closes every connection and the slow pool; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    selector.wakeup();
    if (slow != null) {
      slow.shutdownNow();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
      if (slow != null) {
        slow.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
