package io.dqlite.sidecar.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** Sends hostile bytes to a raft port and reports how the connection ended. */
final class HostileClient {

  /** How a connection ended, seen from the client. */
  enum Ending {
    /** The server closed it (end of stream or reset). */
    CLOSED,
    /** Nothing within the wait: the server kept it open. */
    HUNG
  }

  /** What happened to one connection: its ending, bytes the server sent, and when it ended. */
  record Outcome(Ending ending, int bytesBack, Duration after) {}

  private HostileClient() {}

  /**
   * Connects from {@code source}, writes {@code bytes}, closes the writing side (end of stream),
   * and reads until the server closes or {@code wait} passes.
   */
  static Outcome send(String source, InetSocketAddress target, byte[] bytes, Duration wait)
      throws IOException {
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.setSoLinger(true, 0);
      s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      try {
        s.connect(target, 5_000);
      } catch (ConnectException e) {
        throw e; // nothing listens: the node is gone
      } catch (SocketException e) {
        return new Outcome(Ending.CLOSED, 0, since(start)); // reset as soon as accepted
      }
      try {
        s.getOutputStream().write(bytes);
        s.shutdownOutput();
      } catch (IOException e) {
        return new Outcome(Ending.CLOSED, 0, since(start)); // closed while we wrote
      }
      return readToEnd(s, start, wait);
    }
  }

  /**
   * Connects from {@code source} and trickles {@code bytes} one per {@code interval}, as a
   * slowloris does, until the server closes the connection or the bytes or {@code wait} run out.
   */
  static Outcome trickle(
      String source, InetSocketAddress target, byte[] bytes, Duration interval, Duration wait)
      throws IOException {
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.setSoLinger(true, 0);
      s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      s.connect(target, 5_000);
      s.setSoTimeout((int) interval.toMillis());
      InputStream in = s.getInputStream();
      int back = 0;
      for (int i = 0; i < bytes.length && since(start).compareTo(wait) < 0; i++) {
        try {
          s.getOutputStream().write(bytes[i]);
          int n = in.read(new byte[4096]);
          if (n < 0) {
            return new Outcome(Ending.CLOSED, back, since(start));
          }
          back += n;
        } catch (SocketTimeoutException e) {
          // Nothing back within the interval: send the next byte.
        } catch (IOException e) {
          return new Outcome(Ending.CLOSED, back, since(start));
        }
      }
      return new Outcome(Ending.HUNG, back, since(start));
    }
  }

  private static Outcome readToEnd(Socket s, long start, Duration wait) throws IOException {
    s.setSoTimeout((int) wait.toMillis());
    InputStream in = s.getInputStream();
    byte[] buffer = new byte[4096];
    int back = 0;
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        back += n;
        if (since(start).compareTo(wait) > 0) {
          return new Outcome(Ending.HUNG, back, since(start));
        }
      }
      return new Outcome(Ending.CLOSED, back, since(start));
    } catch (SocketTimeoutException e) {
      return new Outcome(Ending.HUNG, back, since(start));
    } catch (IOException e) {
      return new Outcome(Ending.CLOSED, back, since(start));
    }
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
