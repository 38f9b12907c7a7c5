package io.dqlite.http.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Hostile HTTP clients for tests: connections that send part of a request (or nothing) and wait,
 * and a probe whose latency is measured. Every socket is closed by {@link #close()}.
 */
public final class StalledClients implements AutoCloseable {

  /** A probe's answer and how long it took. */
  public record Probe(int status, String body, Duration latency) {}

  private final InetSocketAddress target;
  private final List<Socket> sockets = new ArrayList<>();

  public StalledClients(InetSocketAddress target) {
    this.target = target;
  }

  /**
   * Opens {@code count} connections: even ones send {@code GET /li} and wait, odd ones send
   * nothing.
   */
  public StalledClients open(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      Socket s = new Socket();
      sockets.add(s);
      s.connect(target, 5_000);
      if (i % 2 == 0) {
        OutputStream out = s.getOutputStream();
        out.write("GET /li".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    }
    return this;
  }

  public List<Socket> sockets() {
    return List.copyOf(sockets);
  }

  /**
   * Whether the server closed this connection: a read ends (EOF or reset) within {@code wait};
   * false when it is still open then.
   */
  public static boolean closedByServer(Socket s, Duration wait) throws IOException {
    s.setSoTimeout((int) Math.max(1, wait.toMillis()));
    InputStream in = s.getInputStream();
    try {
      byte[] buf = new byte[4096];
      while (true) {
        if (in.read(buf) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset by the server
    }
  }

  /**
   * GETs {@code path} on a new connection as a kubelet probe does (HTTP/1.1, then reads to the
   * end), with a 5 s timeout on connecting and on every read, timing the whole exchange.
   */
  public static Probe probe(InetSocketAddress server, String path) throws IOException {
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.connect(server, 5_000);
      s.setSoTimeout(5_000);
      s.getOutputStream()
          .write(
              ("GET "
                      + path
                      + " HTTP/1.1\r\nHost: probe\r\nUser-Agent:"
                      + " kube-probe/1.36\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Duration latency = Duration.ofNanos(System.nanoTime() - start);
      int space = answer.indexOf(' ');
      int blank = answer.indexOf("\r\n\r\n");
      if (!answer.startsWith("HTTP/1.") || space < 0 || blank < 0) {
        throw new IOException("not an HTTP answer from " + server + ": " + answer);
      }
      int status = Integer.parseInt(answer.substring(space + 1, space + 4));
      return new Probe(status, answer.substring(blank + 4), latency);
    }
  }

  @Override
  public void close() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing a test socket
      }
    }
    sockets.clear();
  }
}
