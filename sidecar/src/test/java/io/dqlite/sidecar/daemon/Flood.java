package io.dqlite.sidecar.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A connection flood from one loopback source address: connections opened in batches and held,
 * every other one sending a burst of garbage, the rest idle. Closing closes every connection (with
 * a reset, so no TIME_WAIT is left behind).
 */
final class Flood implements AutoCloseable {

  private static final int CONNECT_TIMEOUT_MS = 5_000;

  private final InetAddress source;
  private final InetSocketAddress target;
  private final Random random;
  private final List<Socket> held = new ArrayList<>();
  private int connectFailures;
  private String firstFailure;

  Flood(String source, InetSocketAddress target, long seed) throws IOException {
    this.source = InetAddress.getByName(source);
    this.target = target;
    this.random = new Random(seed);
  }

  /**
   * Opens {@code count} connections, {@code batch} at a time, running {@code afterBatch} after each
   * batch (to sample the target).
   */
  void open(int count, int batch, Runnable afterBatch) {
    for (int opened = 0; opened < count; ) {
      int n = Math.min(batch, count - opened);
      for (int i = 0; i < n; i++, opened++) {
        connect(opened % 2 == 0);
      }
      afterBatch.run();
    }
  }

  private void connect(boolean garbage) {
    Socket s = new Socket();
    try {
      s.setSoLinger(true, 0);
      s.bind(new InetSocketAddress(source, 0));
      s.connect(target, CONNECT_TIMEOUT_MS);
      held.add(s);
    } catch (IOException e) {
      connectFailures++;
      firstFailure = firstFailure == null ? e.toString() : firstFailure;
      closeQuietly(s);
      return;
    }
    if (garbage) {
      byte[] bytes = new byte[1 + random.nextInt(256)];
      random.nextBytes(bytes);
      try {
        s.getOutputStream().write(bytes);
      } catch (IOException e) {
        // Already refused and closed: what a cap does.
      }
    }
  }

  /** Connections held open on this side (the target may have closed its end). */
  int held() {
    return held.size();
  }

  /** Connects that failed (timed out or refused by the kernel). */
  int connectFailures() {
    return connectFailures;
  }

  /** The first connect failure, or null. */
  String firstFailure() {
    return firstFailure;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Gone either way.
    }
  }

  @Override
  public void close() {
    held.forEach(Flood::closeQuietly);
    held.clear();
  }
}
