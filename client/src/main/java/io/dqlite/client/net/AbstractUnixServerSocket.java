package io.dqlite.client.net;

import com.sun.jna.LastErrorException;
import java.io.IOException;

/**
 * A listening Linux abstract unix socket ({@code @name}), the server side of {@link
 * AbstractUnixSocket}: for example the sidecar's {@code @dqlite} app socket. {@link #close()} from
 * another thread makes a blocked {@link #accept()} fail.
 */
public final class AbstractUnixServerSocket implements AutoCloseable {

  private final NativeFd fd;
  private final String name;

  private AbstractUnixServerSocket(int fd, String name) {
    this.fd = new NativeFd(fd, "@" + name);
    this.name = name;
  }

  /**
   * Binds and listens on {@code @name}.
   *
   * @param name the name without {@code @}; empty lets the kernel pick a unique one ({@link
   *     #name()} tells which)
   * @param backlog the listen backlog
   * @throws IOException e.g. "address already in use" when another socket has the name
   */
  public static AbstractUnixServerSocket bind(String name, int backlog) throws IOException {
    LibC libc = LibC.get();
    int fd;
    try {
      fd = libc.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new IOException("listen @" + name + ": socket failed: " + e.getMessage(), e);
    }
    try {
      if (name.isEmpty()) {
        // Binding with only the family asks Linux to "autobind" a unique abstract name.
        byte[] family = LibC.abstractAddress("");
        libc.bind(fd, family, 2);
      } else {
        byte[] sockaddr = LibC.abstractAddress(name);
        libc.bind(fd, sockaddr, sockaddr.length);
      }
      libc.listen(fd, backlog);
      byte[] addr = new byte[LibC.SOCKADDR_UN_SIZE];
      int[] len = {addr.length};
      libc.getsockname(fd, addr, len);
      return new AbstractUnixServerSocket(fd, LibC.abstractName(addr, len[0]));
    } catch (LastErrorException e) {
      AbstractUnixSocket.closeQuietly(libc, fd);
      throw new IOException("listen @" + name + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      AbstractUnixSocket.closeQuietly(libc, fd);
      throw e;
    }
  }

  /** The bound name, without {@code @}. */
  public String name() {
    return name;
  }

  /** The address clients dial: {@code @name}. */
  public String address() {
    return "@" + name;
  }

  /**
   * Waits for a connection.
   *
   * @throws IOException when the socket is closed (also while waiting) or accept fails
   */
  public AbstractUnixSocket accept() throws IOException {
    int f = fd.acquire();
    try {
      while (true) {
        try {
          int client = LibC.get().accept4(f, null, null, LibC.SOCK_CLOEXEC);
          return new AbstractUnixSocket(client, "@" + name);
        } catch (LastErrorException e) {
          if (e.getErrorCode() != LibC.EINTR) {
            throw fd.error("accept", e);
          }
        }
      }
    } finally {
      fd.release();
    }
  }

  public boolean isClosed() {
    return fd.isClosed();
  }

  /** Stops listening; idempotent; wakes a blocked {@link #accept()}. */
  @Override
  public void close() {
    fd.close();
  }
}
