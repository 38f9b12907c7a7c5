package io.dqlite.sidecar.appsocket;

import io.dqlite.client.model.ErrorCodes;
import io.dqlite.client.net.Transport;
import io.dqlite.client.protocol.FailureResponse;
import io.dqlite.client.protocol.MessageHeader;
import io.dqlite.client.protocol.NodeResponse;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.ProtocolException;
import io.dqlite.client.protocol.Request;
import io.dqlite.client.protocol.RequestType;
import io.dqlite.client.protocol.Response;
import io.dqlite.client.protocol.ResponseType;
import io.dqlite.client.protocol.WelcomeResponse;
import io.dqlite.sidecar.metrics.AppSocketMeters;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One application connection on the app socket, served by one thread. See {@link AppSocket} for the
 * behaviour; this class is its implementation, one request at a time.
 *
 * <p>Memory per connection is fixed: two 8 KiB read buffers and one 8 KiB relay buffer. A request
 * body of up to {@link #SMALL_BODY} bytes is read whole and decoded (garbage closes the
 * connection); a larger one, which only the SQL-carrying requests may be, is checked on its first
 * word (the ids) and streamed to the leader. Answers are always streamed.
 */
final class ProxySession implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ProxySession.class);

  /** Requests are read through a buffer: one read call gets a whole small request. */
  private static final int READ_BUFFER = 8192;

  /** The relay buffer: a message of up to this size, header included, crosses in one write. */
  static final int RELAY_BUFFER = 8192;

  /** Request bodies up to this size are read whole and decoded before forwarding. */
  static final int SMALL_BODY = RELAY_BUFFER - MessageHeader.SIZE;

  /** The requests whose bodies may exceed {@link #SMALL_BODY}: they carry SQL or parameters. */
  private static final Set<RequestType> STREAMABLE =
      EnumSet.of(
          RequestType.PREPARE,
          RequestType.EXEC,
          RequestType.QUERY,
          RequestType.EXEC_SQL,
          RequestType.QUERY_SQL);

  /** SQLite's "string or blob too big". */
  static final int SQLITE_TOOBIG = 18;

  private final Transport client;
  private final InputStream in;
  private final InputStream bodyIn;
  private final OutputStream out;
  private final Deadlines.Watch watch;
  private final String advertised;
  private final UpstreamConnector connector;
  private final AppSocketMeters meters;
  private final String name;
  private final AppSocket.Limits limits;
  private final RequestGuard guard;
  private final byte[] buf = new byte[RELAY_BUFFER];
  private Upstream upstream;

  ProxySession(
      Transport client,
      String advertised,
      UpstreamConnector connector,
      AppSocketMeters meters,
      String name,
      AppSocket.Limits limits) {
    this.client = client;
    this.watch = Deadlines.watch(client::close);
    this.in = new BufferedInputStream(client.input(), READ_BUFFER);
    // Body reads run under one frame deadline armed by the caller, so none per read.
    this.bodyIn =
        TimedStreams.input(
            in,
            watch,
            null,
            (e, expired) ->
                new ClientGone(
                    e,
                    expired,
                    expired
                        ? "did not finish sending a request within "
                            + limits.frameTimeout().toMillis()
                            + " ms"
                        : e.getMessage(),
                    "frame"));
    this.out =
        TimedStreams.output(
            client.output(),
            watch,
            limits.writeTimeout(),
            (e, expired) ->
                new ClientGone(
                    e,
                    expired,
                    expired
                        ? "did not read its answers for " + limits.writeTimeout().toMillis() + " ms"
                        : e.getMessage(),
                    "write"));
    this.limits = limits;
    this.guard = new RequestGuard(limits.membership() == AppSocket.Membership.ALLOW);
    this.advertised = advertised;
    this.connector = connector;
    this.meters = meters;
    this.name = name;
  }

  @Override
  public void run() {
    try {
      long version;
      try (Deadlines.Guard g = watch.arm(limits.frameTimeout())) {
        version = Frame.readVersion(in);
      }
      if (version < 0) {
        return;
      }
      if (version != ProtocolConnection.VERSION) {
        garbage("protocol version " + Long.toUnsignedString(version) + " (only 1 is spoken)");
        return;
      }
      while (serveOne()) {
        // One request at a time, as libdqlite reads them.
      }
    } catch (ClientGone e) {
      if (e.timedOut) {
        meters.deadlineClosed(e.deadline);
        log.warn("app socket {}: closing the connection: the client {}", name, e.getMessage());
      } else {
        log.debug("app socket {}: client connection ended: {}", name, e.getMessage());
      }
    } catch (IOException e) {
      log.debug("app socket {}: client connection ended: {}", name, e.getMessage());
    } finally {
      watch.close();
      dropUpstream();
      client.close();
    }
  }

  /** Closes the session from another thread; idempotent. */
  void close() {
    client.close();
    Upstream u = upstream;
    if (u != null) {
      u.close();
    }
  }

  /** Reads and serves one request; false ends the session. */
  private boolean serveOne() throws IOException {
    MessageHeader header;
    try (Deadlines.Guard g = watch.arm(limits.idleTimeout())) {
      try {
        header = Frame.readHeader(in);
      } catch (IOException | ProtocolException e) {
        header = null;
        if (!g.fired()) {
          if (e instanceof ProtocolException) {
            garbage(e.getMessage());
            return false;
          }
          throw (IOException) e;
        }
      }
      // A deadline's close shuts the socket down: the read may end in EOF rather than an error.
      if (g.fired()) {
        meters.deadlineClosed("idle");
        log.info(
            "app socket {}: closing the connection: no request for {} ms"
                + " (--app-socket-idle-timeout)",
            name,
            limits.idleTimeout().toMillis());
        return false;
      }
    }
    if (header == null) {
      return false;
    }
    RequestType type;
    try {
      type = RequestType.fromCode(header.type());
    } catch (ProtocolException e) {
      garbage(e.getMessage());
      return false;
    }
    long size = header.bodyBytes();
    if (size == 0) {
      garbage("an empty " + type + " request (libdqlite 1.11.1 aborts on an empty body)");
      return false;
    }
    if (size > limits.maxRequestBytes()) {
      meters.refused("too_big");
      meters.protocolError(); // The connection is closed for it, as for garbage.
      log.warn(
          "app socket {}: refusing the {} request of {} bytes (over --app-socket-max-request"
              + " {}) and closing the connection",
          name,
          type,
          size,
          limits.maxRequestBytes());
      reply(
          new FailureResponse(
              SQLITE_TOOBIG,
              "app socket: this "
                  + type
                  + " request of "
                  + size
                  + " bytes exceeds the limit of "
                  + limits.maxRequestBytes()
                  + " bytes (--app-socket-max-request); the connection is"
                  + " closed"));
      closeAfterRefusal(size);
      return false;
    }
    boolean streamed = size > SMALL_BODY;
    if (streamed && !STREAMABLE.contains(type)) {
      garbage(
          "the " + type + " request of " + size + " bytes (at most " + SMALL_BODY + " expected)");
      return false;
    }
    byte[] prefix;
    try (Deadlines.Guard g = watch.arm(limits.frameTimeout())) {
      try {
        prefix = Frame.readExactly(bodyIn, streamed ? 8 : (int) size, header);
      } catch (ProtocolException e) {
        if (g.fired()) {
          throw frameTimedOut(e);
        }
        throw e;
      }
      if (!streamed) {
        Request.decode(header, prefix);
      }
    } catch (ProtocolException | RuntimeException e) {
      garbage(e.getMessage());
      return false;
    }
    long start = System.nanoTime();
    boolean keep = handle(header, type, prefix, streamed);
    meters.request(type, System.nanoTime() - start);
    return keep;
  }

  /** Serves one request; false ends the session. */
  private boolean handle(MessageHeader header, RequestType type, byte[] prefix, boolean streamed)
      throws IOException {
    switch (type) {
      case LEADER -> {
        if (ensureUpstream() == null) {
          reply(new NodeResponse(0, ""));
        } else {
          reply(new NodeResponse(upstream.leaderId(), advertised));
        }
        return true;
      }
      case CLIENT -> {
        if (ensureUpstream() == null) {
          reply(noLeader());
        } else {
          reply(new WelcomeResponse(upstream.heartbeatTimeout()));
        }
        return true;
      }
      case HEARTBEAT -> {
        // libdqlite 1.11.1 never answers it (and its connection then hangs): ignore it.
        log.debug("app socket {}: ignored a heartbeat request", name);
        return true;
      }
      case CONNECT -> {
        garbage("a raft connect request (the app socket serves clients; raft peers use --address)");
        return false;
      }
      default -> {
        Optional<FailureResponse> refusal = guard.check(type, prefix);
        if (refusal.isPresent()) {
          meters.refused(RequestGuard.reason(type));
          log.info(
              "app socket {}: refused the {} request: {}", name, type, refusal.get().message());
          return refuse(header, prefix, streamed, refusal.get());
        }
        if (upstream == null && ensureUpstream() == null) {
          return refuse(header, prefix, streamed, noLeader());
        }
        return forward(header, type, prefix, streamed);
      }
    }
  }

  /**
   * Ends the connection after refusing an oversized request so that the client reads the refusal: a
   * client still writing the body would otherwise see its write fail (the socket closed with unread
   * bytes) instead of the answer. So: no more output, then the body is read and dropped through the
   * relay buffer, within one frame deadline, at most {@code size} bytes.
   */
  private void closeAfterRefusal(long size) {
    try (Deadlines.Guard g = watch.arm(limits.frameTimeout())) {
      client.shutdownOutput();
      long left = size;
      while (left > 0) {
        int r = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          return;
        }
        left -= r;
      }
    } catch (IOException e) {
      // Gone or out of time: closed either way.
    }
  }

  /** Answers {@code failure} instead of forwarding, after reading the rest of a streamed body. */
  private boolean refuse(
      MessageHeader header, byte[] prefix, boolean streamed, FailureResponse failure)
      throws IOException {
    if (streamed) {
      try (Deadlines.Guard g = watch.arm(limits.frameTimeout())) {
        long left = header.bodyBytes() - prefix.length;
        while (left > 0) {
          int r = bodyIn.read(buf, 0, (int) Math.min(buf.length, left));
          if (r < 0) {
            if (g.fired()) {
              throw frameTimedOut(new IOException("end of stream"));
            }
            garbage("a truncated " + header.type() + " request");
            return false;
          }
          left -= r;
        }
      }
    }
    reply(failure);
    return true;
  }

  private boolean forward(MessageHeader header, RequestType type, byte[] prefix, boolean streamed)
      throws IOException {
    Frame.Summary last;
    boolean sent = false;
    try {
      try (Deadlines.Guard g = watch.arm(limits.frameTimeout())) {
        try {
          Frame.relay(header, prefix, bodyIn, upstream.output(), buf);
        } catch (ProtocolException e) {
          // The client ended inside a streamed body: the leader holds half a request.
          if (g.fired()) {
            throw frameTimedOut(e);
          }
          garbage(e.getMessage());
          return false;
        }
      }
      sent = true;
      while (true) {
        last = upstream.relay(out, buf);
        if (!continues(type, last)) {
          break;
        }
      }
    } catch (Upstream.Broken e) {
      String leader = upstream.address();
      // The client is in step unless its streamed request or an answer was cut halfway.
      boolean inStep = !e.midFrame() && (sent || !streamed);
      boolean keep = inStep && !guard.databaseOpen();
      dropUpstream();
      log.info(
          "app socket {}: connection to leader {} lost during {}: {}",
          name,
          leader,
          type,
          e.getMessage());
      if (!inStep) {
        // The client is inside its request, or inside an answer: nothing more can be said.
        return false;
      }
      reply(
          new FailureResponse(
              ErrorCodes.SQLITE_IOERR_LEADERSHIP_LOST,
              "app socket: connection to leader "
                  + leader
                  + " lost during "
                  + type
                  + "; its outcome is unknown; reconnect"));
      return keep;
    }
    guard.learn(type, prefix, last.type(), last.head());
    if (last.type() == ResponseType.FAILURE.code()) {
      long code = RequestGuard.uint64(last.head(), 0);
      if (ErrorCodes.isLeadershipLost(code)) {
        boolean open = guard.databaseOpen();
        log.info(
            "app socket {}: {} no longer leads ({} answered code {}); {}",
            name,
            upstream.address(),
            type,
            code,
            open ? "closing the connection, the client reconnects" : "finding the new one");
        dropUpstream();
        return !open;
      }
    }
    return true;
  }

  /** Whether more responses follow {@code r} for a request of {@code type}. */
  private static boolean continues(RequestType type, Frame.Summary r) {
    boolean rows = r.type() == ResponseType.ROWS.code();
    return switch (type) {
      case QUERY, QUERY_SQL -> rows && r.moreRowsFollow();
      // An interrupt's answer is EMPTY, after any row batches still in flight.
      case INTERRUPT -> rows;
      default -> false;
    };
  }

  private Upstream ensureUpstream() {
    if (upstream != null) {
      return upstream;
    }
    try {
      upstream = connector.connect();
    } catch (IOException e) {
      log.warn("app socket {}: {}", name, e.getMessage());
    }
    return upstream;
  }

  /** The deadline of a frame passed and its close ended the read early. */
  private ClientGone frameTimedOut(Exception cause) {
    return new ClientGone(
        new IOException(cause.getMessage(), cause),
        true,
        "did not finish sending a request within " + limits.frameTimeout().toMillis() + " ms",
        "frame");
  }

  private FailureResponse noLeader() {
    return new FailureResponse(
        ErrorCodes.SQLITE_IOERR_NOT_LEADER,
        "app socket: no dqlite leader reachable now; retry later (see the sidecar's log)");
  }

  /** Closes the upstream connection; the ids it held die with it. */
  private void dropUpstream() {
    Upstream u = upstream;
    upstream = null;
    guard.reset();
    if (u != null) {
      u.close();
    }
  }

  private void reply(Response r) throws IOException {
    out.write(r.encode());
  }

  private void garbage(String what) {
    meters.protocolError();
    log.warn("app socket {}: closing the connection: the client sent {}", name, what);
  }

  /** A failure on the application's side of the session, which ends it. */
  static final class ClientGone extends IOException {
    private static final long serialVersionUID = 1L;
    final boolean timedOut;

    /** Which deadline closed the connection: frame or write. */
    final String deadline;

    ClientGone(IOException cause, boolean timedOut, String message, String deadline) {
      super(message, cause);
      this.timedOut = timedOut;
      this.deadline = deadline;
    }
  }
}
