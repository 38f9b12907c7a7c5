package io.dqlite.sidecar.appsocket;

import io.dqlite.client.ErrorCodes;
import io.dqlite.client.net.Transport;
import io.dqlite.client.protocol.BodyReader;
import io.dqlite.client.protocol.FailureResponse;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One application connection on the app socket, served by one thread. See {@link AppSocket} for
 * the behaviour; this class is its implementation, one request at a time.
 */
final class ProxySession implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ProxySession.class);
  /** libdqlite's default heartbeat timeout, announced before any leader was reached. */
  private static final long DEFAULT_HEARTBEAT_MS = 15_000;
  /** Requests are read through a buffer: one read call gets a whole small request. */
  private static final int READ_BUFFER = 8192;

  private final Transport client;
  private final InputStream in;
  private final String advertised;
  private final UpstreamConnector connector;
  private final AppSocketMeters meters;
  private final String name;
  private final long maxRequestBytes;
  private Upstream upstream;
  private boolean databaseOpen;

  ProxySession(
      Transport client,
      String advertised,
      UpstreamConnector connector,
      AppSocketMeters meters,
      String name,
      long maxRequestBytes) {
    this.client = client;
    this.in = new BufferedInputStream(client.input(), READ_BUFFER);
    this.maxRequestBytes = maxRequestBytes;
    this.advertised = advertised;
    this.connector = connector;
    this.meters = meters;
    this.name = name;
  }

  @Override
  public void run() {
    try {
      long version = Frame.readVersion(in);
      if (version < 0) {
        return;
      }
      if (version != ProtocolConnection.VERSION) {
        garbage("protocol version " + Long.toUnsignedString(version) + " (only 1 is spoken)");
        return;
      }
      while (true) {
        Frame frame;
        Request request;
        try {
          frame = Frame.read(in, maxRequestBytes);
          if (frame == null) {
            return;
          }
          request = Request.decode(frame.header(), frame.body());
        } catch (ProtocolException | RuntimeException e) {
          garbage(e.getMessage());
          return;
        }
        long start = System.nanoTime();
        boolean keep = handle(frame, request);
        meters.request(request.type(), System.nanoTime() - start);
        if (!keep) {
          return;
        }
      }
    } catch (IOException e) {
      log.debug("app socket {}: client connection ended: {}", name, e.getMessage());
    } finally {
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

  /** Serves one request; false ends the session. */
  private boolean handle(Frame frame, Request request) throws IOException {
    RequestType type = request.type();
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
        return forward(frame, type);
      }
    }
  }

  private boolean forward(Frame frame, RequestType type) throws IOException {
    if (upstream == null && ensureUpstream() == null) {
      reply(noLeader());
      return true;
    }
    Frame last;
    try {
      upstream.send(frame);
      while (true) {
        last = upstream.receive();
        toClient(last);
        if (!continues(type, last)) {
          break;
        }
      }
    } catch (ClientGone e) {
      throw e;
    } catch (IOException e) {
      String leader = upstream.address();
      dropUpstream();
      log.info("app socket {}: connection to leader {} lost during {}: {}", name, leader, type,
          e.getMessage());
      reply(
          new FailureResponse(
              ErrorCodes.SQLITE_IOERR_LEADERSHIP_LOST,
              "app socket: connection to leader " + leader + " lost during " + type
                  + "; its outcome is unknown; reconnect"));
      return !databaseOpen;
    }
    if (type == RequestType.OPEN && last.type() == ResponseType.DB.code()) {
      databaseOpen = true;
    }
    if (last.type() == ResponseType.FAILURE.code()) {
      long code = failureCode(last);
      if (ErrorCodes.isLeadershipLost(code)) {
        log.info("app socket {}: {} no longer leads ({} answered code {}); {}", name,
            upstream.address(), type, code,
            databaseOpen ? "closing the connection, the client reconnects" : "finding the new one");
        dropUpstream();
        return !databaseOpen;
      }
    }
    return true;
  }

  /** Whether more responses follow {@code r} for a request of {@code type}. */
  private static boolean continues(RequestType type, Frame r) {
    boolean rows = r.type() == ResponseType.ROWS.code();
    return switch (type) {
      case QUERY, QUERY_SQL -> rows && r.moreRowsFollow();
      // An interrupt's answer is EMPTY, after any row batches still in flight.
      case INTERRUPT -> rows;
      default -> false;
    };
  }

  private static long failureCode(Frame f) {
    try {
      return new BodyReader(f.body()).getUint64();
    } catch (ProtocolException e) {
      return -1;
    }
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

  private FailureResponse noLeader() {
    return new FailureResponse(
        ErrorCodes.SQLITE_IOERR_NOT_LEADER,
        "app socket: no dqlite leader reachable now; retry later (see the sidecar's log)");
  }

  private void dropUpstream() {
    Upstream u = upstream;
    upstream = null;
    if (u != null) {
      u.close();
    }
  }

  private void reply(Response r) throws ClientGone {
    try {
      client.output().write(r.encode());
      client.output().flush();
    } catch (IOException e) {
      throw new ClientGone(e);
    }
  }

  private void toClient(Frame f) throws ClientGone {
    try {
      f.write(client.output());
    } catch (IOException e) {
      throw new ClientGone(e);
    }
  }

  private void garbage(String what) {
    meters.protocolError();
    log.warn("app socket {}: closing the connection: the client sent {}", name, what);
  }

  /** A failure on the application's side of the session, which ends it. */
  private static final class ClientGone extends IOException {
    private static final long serialVersionUID = 1L;

    ClientGone(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
