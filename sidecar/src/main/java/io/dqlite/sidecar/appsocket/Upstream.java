package io.dqlite.sidecar.appsocket;

import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.Transport;
import io.dqlite.client.protocol.ClientRequest;
import io.dqlite.client.protocol.FailureResponse;
import io.dqlite.client.protocol.LeaderRequest;
import io.dqlite.client.protocol.MessageHeader;
import io.dqlite.client.protocol.NodeResponse;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.ProtocolException;
import io.dqlite.client.protocol.Response;
import io.dqlite.client.protocol.WelcomeResponse;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A raw connection from the proxy to the leader, handshaken and registered as a client; requests
 * and responses cross it as {@link Frame}s. Not thread-safe: one session uses it.
 */
final class Upstream implements AutoCloseable {

  /** What a node said when asked who leads, if it did not claim leadership itself. */
  record Probe(Upstream leader, String reportedLeader) {}

  /** Answers are read through a buffer: one read call gets a whole small answer, header and all. */
  private static final int READ_BUFFER = 8192;

  private final Transport transport;
  private final InputStream in;
  private final String address;
  private final long leaderId;
  private final long heartbeatTimeout;
  private final Deadlines.Watch watch;
  private final InputStream input;
  private final OutputStream output;

  private Upstream(
      Transport transport, String address, long leaderId, long heartbeatTimeout, Duration timeout) {
    this.transport = transport;
    this.in = new BufferedInputStream(transport.input(), READ_BUFFER);
    this.address = address;
    this.leaderId = leaderId;
    this.heartbeatTimeout = heartbeatTimeout;
    this.watch = Deadlines.watch(transport::close);
    this.input =
        TimedStreams.input(
            in,
            watch,
            timeout,
            (e, expired) ->
                new Broken(
                    expired
                        ? "no answer from leader "
                            + address
                            + " within "
                            + timeout.toMillis()
                            + " ms"
                        : "receive from leader " + address + ": " + e.getMessage(),
                    e));
    this.output =
        TimedStreams.output(
            transport.output(),
            watch,
            timeout,
            (e, expired) ->
                new Broken(
                    "send to leader "
                        + address
                        + ": "
                        + (expired ? "blocked for " + timeout.toMillis() + " ms" : e.getMessage()),
                    e));
  }

  /**
   * Dials {@code address}, handshakes and asks it who leads; when it names itself (as the string
   * dialled, as go-dqlite decides), registers as a client and returns the connection.
   *
   * @throws IOException when dialling or any exchange fails, or the node answers with a failure
   */
  static Probe probe(Dialer dialer, String address, Duration budget, Duration requestTimeout)
      throws IOException {
    Transport t = dialer.dial(address, budget);
    boolean keep = false;
    try (Deadlines.Guard guard = Deadlines.arm(budget, t::close)) {
      byte[] version = new byte[8];
      version[0] = (byte) ProtocolConnection.VERSION;
      t.output().write(version);
      NodeResponse leader =
          exchange(t, t.input(), new LeaderRequest().encode(), NodeResponse.class, address);
      if (!leader.address().equals(address)) {
        return new Probe(null, leader.address().isEmpty() ? null : leader.address());
      }
      WelcomeResponse welcome =
          exchange(t, t.input(), new ClientRequest(0).encode(), WelcomeResponse.class, address);
      keep = true;
      return new Probe(
          new Upstream(t, address, leader.id(), welcome.heartbeatTimeout(), requestTimeout), null);
    } catch (IOException e) {
      throw new IOException("leader check on " + address + ": " + e.getMessage(), e);
    } finally {
      if (!keep) {
        t.close();
      }
    }
  }

  /**
   * Whether the node at the other end still names itself leader, asked over this connection within
   * {@code budget}; for an upstream that sat idle (a warm one) before a session uses it. False when
   * the node names another, or the exchange fails or takes longer; the caller then closes it.
   */
  boolean stillLeads(Duration budget) {
    try (Deadlines.Guard guard = Deadlines.arm(budget, transport::close)) {
      return exchange(transport, in, new LeaderRequest().encode(), NodeResponse.class, address)
          .address()
          .equals(address);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Sends {@code request} on {@code t} and reads its answer from {@code in} (t's, or a buffer). */
  private static <T extends Response> T exchange(
      Transport t, InputStream in, byte[] request, Class<T> expected, String address)
      throws IOException {
    t.output().write(request);
    t.output().flush();
    Response r;
    try {
      Frame f = Frame.read(in);
      if (f == null) {
        throw new IOException(address + " closed the connection");
      }
      r = Response.decode(f.header(), f.body());
    } catch (ProtocolException e) {
      throw new IOException(address + ": " + e.getMessage(), e);
    }
    if (r instanceof FailureResponse fail) {
      throw new IOException(
          address + " answered: " + fail.message() + " (code " + fail.code() + ")");
    }
    if (!expected.isInstance(r)) {
      throw new IOException(
          address + " answered " + r.type() + " instead of " + expected.getSimpleName());
    }
    return expected.cast(r);
  }

  String address() {
    return address;
  }

  long leaderId() {
    return leaderId;
  }

  long heartbeatTimeout() {
    return heartbeatTimeout;
  }

  /** The stream of requests to the leader: each write bounded by the request timeout. */
  OutputStream output() {
    return output;
  }

  /** The stream of answers from the leader: each read bounded by the request timeout. */
  InputStream input() {
    return input;
  }

  /**
   * Relays the leader's next answer to {@code to} through {@code buf}, streaming its body.
   *
   * @throws Broken when the leader fails, closes, times out or sends garbage
   * @throws IOException whatever {@code to} throws (the client's side)
   */
  Frame.Summary relay(OutputStream to, byte[] buf) throws IOException {
    boolean[] started = {false};
    OutputStream watched =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            started[0] = true;
            to.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            started[0] = true;
            to.write(b, off, len);
          }
        };
    try {
      MessageHeader h = Frame.readHeader(input);
      if (h == null) {
        throw new Broken("leader " + address + " closed the connection", null, false);
      }
      return Frame.relay(h, new byte[0], input, watched, buf);
    } catch (ProtocolException e) {
      throw new Broken("garbage from leader " + address + ": " + e.getMessage(), e, started[0]);
    } catch (Broken e) {
      throw started[0] ? new Broken(e.getMessage(), e.getCause(), true) : e;
    }
  }

  /** A failure on the leader's side of the session. */
  static final class Broken extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean midFrame;

    Broken(String message, Throwable cause) {
      this(message, cause, false);
    }

    Broken(String message, Throwable cause, boolean midFrame) {
      super(message, cause);
      this.midFrame = midFrame;
    }

    /** Whether part of an answer already reached the application. */
    boolean midFrame() {
      return midFrame;
    }
  }

  @Override
  public void close() {
    watch.close();
    transport.close();
  }
}
