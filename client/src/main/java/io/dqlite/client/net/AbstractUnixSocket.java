package io.dqlite.client.net;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A connected Linux abstract unix socket ({@code @name}) through libc via JNA: what go-dqlite dials
 * for {@code @} addresses and what libdqlite listens on when it sits behind a proxy.
 */
public final class AbstractUnixSocket implements Transport {

  private static final int CHUNK = 64 * 1024;

  private final NativeFd fd;
  private final String address;
  private final InputStream in = new In();
  private final OutputStream out = new Out();

  AbstractUnixSocket(int fd, String address) {
    this.fd = new NativeFd(fd, address);
    this.address = address;
  }

  /**
   * Connects to the abstract socket {@code @name}.
   *
   * @param name the name without the leading {@code @}
   * @param timeout how long to wait when the listener's backlog is full
   * @throws IOException naming the address, e.g. for connection refused (nobody listens)
   */
  public static AbstractUnixSocket connect(String name, Duration timeout) throws IOException {
    String address = "@" + name;
    byte[] sockaddr = LibC.abstractAddress(name);
    LibC libc = LibC.get();
    int fd;
    try {
      fd = libc.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new IOException("dial " + address + ": socket failed: " + e.getMessage(), e);
    }
    try {
      // Linux bounds a blocking unix connect (full backlog) by the send timeout.
      byte[] tv = LibC.timeval(SocketTransport.timeoutMillis(timeout));
      libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_SNDTIMEO, tv, tv.length);
      connectRetryingOnEintr(libc, fd, sockaddr, address);
      byte[] none = LibC.timeval(0);
      libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_SNDTIMEO, none, none.length);
      return new AbstractUnixSocket(fd, address);
    } catch (IOException | RuntimeException e) {
      closeQuietly(libc, fd);
      throw e;
    }
  }

  private static void connectRetryingOnEintr(LibC libc, int fd, byte[] sockaddr, String address)
      throws IOException {
    while (true) {
      try {
        libc.connect(fd, sockaddr, sockaddr.length);
        return;
      } catch (LastErrorException e) {
        if (e.getErrorCode() == LibC.EINTR) {
          continue;
        }
        if (e.getErrorCode() == LibC.EAGAIN || e.getErrorCode() == LibC.EINPROGRESS) {
          throw new SocketTimeoutException(
              "dial " + address + ": timed out (listener backlog full)");
        }
        throw new IOException("dial " + address + ": " + e.getMessage(), e);
      }
    }
  }

  static void closeQuietly(LibC libc, int fd) {
    try {
      libc.close(fd);
    } catch (LastErrorException e) {
      // Nothing more to do with a descriptor that will not close.
    }
  }

  @Override
  public InputStream input() {
    return in;
  }

  @Override
  public OutputStream output() {
    return out;
  }

  @Override
  public void shutdownOutput() throws IOException {
    int f = fd.acquire();
    try {
      LibC.get().shutdown(f, LibC.SHUT_WR);
    } catch (LastErrorException e) {
      throw fd.error("shutdown", e);
    } finally {
      fd.release();
    }
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public void close() {
    fd.close();
  }

  /**
   * A direct buffer of at least {@code want} bytes (at most {@link #CHUNK}), kept by the stream
   * that asks: small for small messages, grown once for large ones.
   */
  private static ByteBuffer sized(ByteBuffer current, int want) {
    return current != null && current.capacity() >= want
        ? current
        : ByteBuffer.allocateDirect(want);
  }

  private final class In extends InputStream {
    private ByteBuffer buffer;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int want = Math.min(len, CHUNK);
      buffer = sized(buffer, want);
      int f = fd.acquire();
      try {
        while (true) {
          try {
            long n = SocketCalls.recv(f, buffer, want, 0);
            if (n == 0) {
              return -1;
            }
            buffer.get(0, b, off, (int) n);
            return (int) n;
          } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.EINTR) {
              throw fd.error("recv", e);
            }
          }
        }
      } finally {
        fd.release();
      }
    }
  }

  private final class Out extends OutputStream {
    private ByteBuffer buffer;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int f = fd.acquire();
      try {
        while (len > 0) {
          int chunk = Math.min(len, CHUNK);
          buffer = sized(buffer, chunk);
          buffer.put(0, b, off, chunk);
          long n;
          try {
            n = SocketCalls.send(f, buffer, chunk, LibC.MSG_NOSIGNAL);
          } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EINTR) {
              continue;
            }
            throw fd.error("send", e);
          }
          off += (int) n;
          len -= (int) n;
        }
      } finally {
        fd.release();
      }
    }
  }
}
