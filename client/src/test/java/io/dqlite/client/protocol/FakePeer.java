package io.dqlite.client.protocol;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test-only socket peer on loopback that plays a script against one client connection: it speaks
 * raw frames, so tests can send garbage, truncate messages or stay silent. Not a model of dqlite:
 * each script says exactly which bytes to send.
 */
public final class FakePeer implements AutoCloseable {

  /** What the peer does with the accepted connection. */
  public interface Script {
    void run(Conn conn) throws Exception;
  }

  private final ServerSocket server;
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile Socket socket;

  /** A peer that plays {@code script} on the first connection only. */
  public FakePeer(Script script) throws IOException {
    this(script, false);
  }

  /** A peer that plays {@code script} on every connection, one at a time, until closed. */
  public static FakePeer repeating(Script script) throws IOException {
    return new FakePeer(script, true);
  }

  private FakePeer(Script script, boolean repeat) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    thread =
        new Thread(
            () -> {
              do {
                try (Socket s = server.accept()) {
                  socket = s;
                  script.run(new Conn(s));
                } catch (Throwable t) {
                  if (!server.isClosed()) {
                    failure.set(t);
                  }
                }
              } while (repeat && !server.isClosed());
            },
            "fake-dqlite-peer");
    thread.setDaemon(true);
    thread.start();
  }

  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** The script's own failure, if it threw (an assertion in the peer, for instance). */
  public Throwable failure() {
    return failure.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    Socket s = socket;
    if (s != null) {
      s.close();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The accepted connection, frame by frame. */
  public static final class Conn {
    private final DataInputStream in;
    private final OutputStream out;
    private final Socket socket;

    Conn(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    public byte[] readHandshake() throws IOException {
      byte[] b = new byte[8];
      in.readFully(b);
      return b;
    }

    public Request readRequest() throws Exception {
      byte[] h = new byte[8];
      in.readFully(h);
      MessageHeader header = MessageHeader.decode(h);
      byte[] body = new byte[(int) header.bodyBytes()];
      in.readFully(body);
      return Request.decode(header, body);
    }

    public void send(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    public void send(Response response) throws IOException {
      send(response.encode());
    }

    /** Blocks until the client closes (end of stream) or the peer is closed. */
    public void awaitClientClose() throws IOException {
      byte[] b = new byte[1024];
      while (in.read(b) >= 0) {
        // discard
      }
    }

    public void close() throws IOException {
      socket.close();
    }

    public static byte[] concat(byte[]... parts) {
      int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
      byte[] out = new byte[n];
      int at = 0;
      for (byte[] p : parts) {
        System.arraycopy(p, 0, out, at, p.length);
        at += p.length;
      }
      return out;
    }
  }
}
