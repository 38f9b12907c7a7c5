package io.dqlite.sidecar.node;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import io.dqlite.client.net.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;

/**
 * A blocking channel over a socket fd that the JDK did not open: the Java end of a {@link
 * NativeSockets#socketPair()} whose other end went to libdqlite. Meant for one reading and one
 * writing thread, as a proxy uses it. {@link #close()} shuts the socket down so that a thread
 * blocked in {@link #read} wakes up (on Linux, closing an fd does not), and the fd itself is closed
 * only once no call uses it any more, so its number cannot be reused under a running call.
 */
public final class FdChannel implements ByteChannel {

  private static final int CHUNK = 64 * 1024;

  private final int fd;
  private final Object state = new Object();
  private int inFlight;
  private boolean closed;
  private final Memory readBuffer = new Memory(CHUNK);
  private final Memory writeBuffer = new Memory(CHUNK);

  /** Takes ownership of {@code fd}: closing the channel closes it. */
  public FdChannel(int fd) {
    if (fd < 0) {
      throw new IllegalArgumentException("invalid file descriptor " + fd);
    }
    this.fd = fd;
  }

  public int fd() {
    return fd;
  }

  /** Reads up to the buffer's remaining space; -1 at end of stream. */
  @Override
  public int read(ByteBuffer dst) throws IOException {
    int wanted = Math.min(dst.remaining(), CHUNK);
    if (wanted == 0) {
      return 0;
    }
    enter();
    try {
      synchronized (readBuffer) {
        long n = retrying(() -> LibC.get().read(fd, readBuffer, new NativeLong(wanted)), "read");
        if (n == 0) {
          return -1;
        }
        dst.put(readBuffer.getByteArray(0, (int) n));
        return (int) n;
      }
    } finally {
      exit();
    }
  }

  /** Writes all remaining bytes of {@code src}. */
  @Override
  public int write(ByteBuffer src) throws IOException {
    int total = 0;
    enter();
    try {
      synchronized (writeBuffer) {
        while (src.hasRemaining()) {
          int chunk = Math.min(src.remaining(), CHUNK);
          byte[] bytes = new byte[chunk];
          src.get(bytes);
          writeBuffer.write(0, bytes, 0, chunk);
          writeFully(chunk);
          total += chunk;
        }
      }
    } finally {
      exit();
    }
    return total;
  }

  private void writeFully(int length) throws IOException {
    int offset = 0;
    while (offset < length) {
      int from = offset;
      offset +=
          (int)
              retrying(
                  () ->
                      LibC.get().write(fd, writeBuffer.share(from), new NativeLong(length - from)),
                  "write");
    }
  }

  /** Half-closes: the peer reads end of stream, this side can still read. */
  public void shutdownOutput() throws IOException {
    enter();
    try {
      LibC.get().shutdown(fd, LibC.SHUT_WR);
    } catch (LastErrorException e) {
      throw new IOException("shutdown fd " + fd + ": " + NativeSockets.describe(e), e);
    } finally {
      exit();
    }
  }

  @Override
  public boolean isOpen() {
    synchronized (state) {
      return !closed;
    }
  }

  @Override
  public void close() {
    synchronized (state) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        LibC.get().shutdown(fd, LibC.SHUT_RDWR);
      } catch (LastErrorException ignored) {
        // Not connected any more, or not a socket: closing is all that is left.
      }
      if (inFlight == 0) {
        NativeSockets.close(fd);
      }
    }
  }

  private void enter() throws ClosedChannelException {
    synchronized (state) {
      if (closed) {
        throw new ClosedChannelException();
      }
      inFlight++;
    }
  }

  private void exit() {
    synchronized (state) {
      inFlight--;
      if (closed && inFlight == 0) {
        NativeSockets.close(fd);
      }
    }
  }

  private boolean isClosed() {
    synchronized (state) {
      return closed;
    }
  }

  private interface Call {
    NativeLong run();
  }

  private long retrying(Call call, String what) throws IOException {
    // EINTR can repeat only while signals keep arriving; each retry is a fresh blocking call.
    for (int attempt = 0; attempt < 100; attempt++) {
      try {
        return call.run().longValue();
      } catch (LastErrorException e) {
        if (e.getErrorCode() != LibC.EINTR) {
          if (isClosed()) {
            throw new ClosedChannelException();
          }
          throw new IOException(what + " fd " + fd + ": " + NativeSockets.describe(e), e);
        }
      }
    }
    throw new IOException(what + " fd " + fd + ": interrupted 100 times in a row");
  }
}
