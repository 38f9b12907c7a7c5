package io.dqlite.sidecar.appsocket;

import io.dqlite.client.net.Dialer;
import io.dqlite.client.net.Transport;
import io.dqlite.client.protocol.ClientRequest;
import io.dqlite.client.protocol.FailureResponse;
import io.dqlite.client.protocol.LeaderRequest;
import io.dqlite.client.protocol.NodeResponse;
import io.dqlite.client.protocol.ProtocolConnection;
import io.dqlite.client.protocol.ProtocolException;
import io.dqlite.client.protocol.Response;
import io.dqlite.client.protocol.WelcomeResponse;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
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
  private final Duration requestTimeout;
  private final Deadlines.Watch watch;

  private Upstream(
      Transport transport, String address, long leaderId, long heartbeatTimeout, Duration timeout) {
    this.transport = transport;
    this.in = new BufferedInputStream(transport.input(), READ_BUFFER);
    this.address = address;
    this.leaderId = leaderId;
    this.heartbeatTimeout = heartbeatTimeout;
    this.requestTimeout = timeout;
    this.watch = Deadlines.watch(transport::close);
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
      NodeResponse leader = exchange(t, new LeaderRequest().encode(), NodeResponse.class, address);
      if (!leader.address().equals(address)) {
        return new Probe(null, leader.address().isEmpty() ? null : leader.address());
      }
      WelcomeResponse welcome =
          exchange(t, new ClientRequest(0).encode(), WelcomeResponse.class, address);
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

  private static <T extends Response> T exchange(
      Transport t, byte[] request, Class<T> expected, String address) throws IOException {
    t.output().write(request);
    t.output().flush();
    Response r;
    try {
      Frame f = Frame.read(t.input());
      if (f == null) {
        throw new IOException(address + " closed the connection");
      }
      r = Response.decode(f.header(), f.body());
    } catch (ProtocolException e) {
      throw new IOException(address + ": " + e.getMessage(), e);
    }
    if (r instanceof FailureResponse fail) {
      throw new IOException(address + " answered: " + fail.message() + " (code " + fail.code()
          + ")");
    }
    if (!expected.isInstance(r)) {
      throw new IOException(address + " answered " + r.type() + " instead of "
          + expected.getSimpleName());
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

  /** Sends a client's request as it came. */
  void send(Frame frame) throws IOException {
    try (Deadlines.Guard guard = watch.arm(requestTimeout)) {
      frame.write(transport.output());
    } catch (IOException e) {
      throw new IOException("send to leader " + address + ": " + e.getMessage(), e);
    }
  }

  /** Reads the next response, waiting at most the request timeout. */
  Frame receive() throws IOException {
    try (Deadlines.Guard guard = watch.arm(requestTimeout)) {
      Frame f;
      try {
        f = Frame.read(in);
      } catch (ProtocolException e) {
        throw new IOException("garbage from leader " + address + ": " + e.getMessage(), e);
      } catch (IOException e) {
        if (guard.fired()) {
          throw new IOException("no answer from leader " + address + " within "
              + requestTimeout.toMillis() + " ms", e);
        }
        throw new IOException("receive from leader " + address + ": " + e.getMessage(), e);
      }
      if (f == null) {
        throw new IOException("leader " + address + " closed the connection");
      }
      return f;
    }
  }

  @Override
  public void close() {
    watch.close();
    transport.close();
  }

}
