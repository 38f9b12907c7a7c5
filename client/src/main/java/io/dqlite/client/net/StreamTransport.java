package io.dqlite.client.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A {@link Transport} over a JDK socket or channel: its streams, its address, a quiet close. */
abstract class StreamTransport implements Transport {

  private final String address;
  private final InputStream in;
  private final OutputStream out;

  StreamTransport(String address, InputStream in, OutputStream out) {
    this.address = address;
    this.in = in;
    this.out = out;
  }

  /** Closes the socket or channel underneath; the JDK's close is idempotent and thread-safe. */
  abstract void closeUnderlying() throws IOException;

  @Override
  public final InputStream input() {
    return in;
  }

  @Override
  public final OutputStream output() {
    return out;
  }

  @Override
  public final String address() {
    return address;
  }

  @Override
  public final void close() {
    try {
      closeUnderlying();
    } catch (IOException e) {
      // Closing is best effort: the socket is unusable either way.
    }
  }
}
