package io.dqlite.client.net;

import com.sun.jna.LastErrorException;
import java.io.IOException;

/**
 * A socket file descriptor that can be closed from any thread without racing the thread using it:
 * close shuts the socket down at once (waking blocked calls) but releases the descriptor only when
 * no call is in flight, so the number is never reused under a running read or write.
 */
final class NativeFd {

  private final int fd;
  private final String description;
  private int inFlight;
  private boolean closing;
  private boolean released;

  NativeFd(int fd, String description) {
    this.fd = fd;
    this.description = description;
  }

  /** The descriptor, for one call; pair with {@link #release()}. */
  synchronized int acquire() throws IOException {
    if (closing) {
      throw new IOException(description + ": socket closed");
    }
    inFlight++;
    return fd;
  }

  synchronized void release() {
    inFlight--;
    if (closing && inFlight == 0) {
      releaseFd();
    }
  }

  synchronized boolean isClosed() {
    return closing;
  }

  void close() {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      try {
        LibC.get().shutdown(fd, LibC.SHUT_RDWR);
      } catch (LastErrorException e) {
        // Not connected or already shut down: nothing to wake.
      }
      if (inFlight == 0) {
        releaseFd();
      }
    }
  }

  private void releaseFd() {
    if (!released) {
      released = true;
      try {
        LibC.get().close(fd);
      } catch (LastErrorException e) {
        // The descriptor is gone either way.
      }
    }
  }

  String description() {
    return description;
  }

  /** An IOException for a failed call, naming the socket and the errno. */
  IOException error(String call, LastErrorException e) {
    if (isClosed()) {
      return new IOException(description + ": socket closed");
    }
    return new IOException(description + ": " + call + " failed: " + e.getMessage(), e);
  }
}
