package io.dqlite.sidecar.node;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import io.dqlite.client.net.LibC;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * Sockets as raw file descriptors, made with libc, for libdqlite's connect function (which must
 * return an fd) and for proxying (a socketpair whose one end goes to libdqlite). Every fd is
 * created close-on-exec and returned in blocking mode, which is what libdqlite expects: it writes
 * the handshake to the fd with plain {@code write(2)} before handing it to libuv.
 */
public final class NativeSockets {

  private static final int KEEPALIVE_SECONDS = 15;

  /** Linux's {@code TCP_USER_TIMEOUT} (netinet/tcp.h). */
  private static final int TCP_USER_TIMEOUT = 18;

  /**
   * How long sent data may stay unacknowledged before the kernel aborts a raft connection: {@value}
   * ms. Without it, a connection that carried heartbeats into a partition stays open in TCP's
   * exponential retransmission backoff (0.2 s doubling: after a 30 s partition the next retransmit
   * can be 25 s away), and libraft, which reconnects only when a write fails, waits for it: a voter
   * healed after a 30 s partition took 23 to 32 s to be promoted again (docs/reliability.md).
   * Aborted, the connection fails its next write and libraft dials a fresh one, which succeeds as
   * soon as the network is back. A live peer's kernel acknowledges even while its process is
   * stopped or busy, so only a lost network or host meets the limit; 10 s is over three election
   * timeouts (3 s in libdqlite 1.11.1). go-dqlite sets 30 s on the TCP side of its TLS proxy.
   */
  public static final int USER_TIMEOUT_MILLIS = 10_000;

  private NativeSockets() {}

  /**
   * A connected socket to {@code address}, the way go-dqlite's default dial reaches it: {@code
   * @name} is an abstract unix socket, anything else {@code host:port} over TCP (IPv4, IPv6 in
   * brackets, or a name resolved by the JVM). TCP sockets get TCP_NODELAY and 15 s keepalive, as
   * Go's dialer sets them, and a {@link #USER_TIMEOUT_MILLIS} user timeout (not in go-dqlite's
   * dial).
   *
   * @return a blocking, close-on-exec fd that the caller owns
   * @throws IOException naming the address and the system error; {@link SocketTimeoutException}
   *     when {@code timeout} passes first
   */
  public static int connect(String address, Duration timeout) throws IOException {
    if (address.startsWith("@")) {
      return connectUnix(address, timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    HostPort target = HostPort.parse(address);
    InetAddress[] candidates;
    try {
      candidates = InetAddress.getAllByName(target.host());
    } catch (UnknownHostException e) {
      throw new IOException("connect " + address + ": cannot resolve " + target.host(), e);
    }
    IOException last = null;
    for (InetAddress candidate : candidates) {
      try {
        return connectTcp(address, candidate, target.port(), deadline);
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * Gives a JDK socket the same {@link #USER_TIMEOUT_MILLIS} user timeout as the raft sockets
   * dialled here: the TCP side of the TLS proxy, in either direction. The JDK has no option for it,
   * so this reaches the socket's fd by reflection, which needs {@code --add-opens
   * java.base/java.net} and {@code java.base/java.io}; the sidecar jar's manifest opens both when
   * it runs with {@code java -jar}. Without them (an embedding application) nothing is set and
   * false is returned.
   *
   * @throws IOException when the fd was found but the kernel refused the option
   */
  public static boolean setUserTimeout(java.net.Socket socket) throws IOException {
    OptionalInt fd = JdkSocketFd.of(socket);
    if (fd.isEmpty()) {
      return false;
    }
    try {
      setUserTimeout(fd.getAsInt());
      return true;
    } catch (LastErrorException e) {
      throw new IOException("TCP_USER_TIMEOUT on " + socket + ": " + describe(e), e);
    }
  }

  private static void setUserTimeout(int fd) {
    int[] userTimeout = {USER_TIMEOUT_MILLIS};
    LibC.get().setsockopt(fd, LibC.IPPROTO_TCP, TCP_USER_TIMEOUT, userTimeout, 4);
  }

  /** A connected, bidirectional, blocking pair of unix stream sockets; both ends owned by you. */
  public static SocketPair socketPair() throws IOException {
    int[] fds = new int[2];
    try {
      LibC.get().socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, fds);
    } catch (LastErrorException e) {
      throw new IOException("socketpair: " + describe(e), e);
    }
    return new SocketPair(fds[0], fds[1]);
  }

  /** The two ends of {@link #socketPair()}. */
  public record SocketPair(int first, int second) {}

  /** Closes an fd; errors are ignored, as there is nothing a caller could do about them. */
  public static void close(int fd) {
    if (fd < 0) {
      return;
    }
    try {
      LibC.get().close(fd);
    } catch (LastErrorException ignored) {
      // EBADF or EINTR: in both cases the fd is gone (Linux never retries close).
    }
  }

  private static int connectTcp(String address, InetAddress ip, int port, long deadline)
      throws IOException {
    Memory sockaddr;
    int family;
    if (ip instanceof Inet4Address) {
      family = LibC.AF_INET;
      sockaddr = new Memory(16);
      sockaddr.clear();
      sockaddr.setShort(0, (short) family);
      putPort(sockaddr, port);
      sockaddr.write(4, ip.getAddress(), 0, 4);
    } else {
      family = LibC.AF_INET6;
      sockaddr = new Memory(28);
      sockaddr.clear();
      sockaddr.setShort(0, (short) family);
      putPort(sockaddr, port);
      sockaddr.write(8, ip.getAddress(), 0, 16);
      sockaddr.setInt(24, ((Inet6Address) ip).getScopeId());
    }
    int fd = openNonBlocking(address, family);
    try {
      connectAndWait(address, fd, sockaddr, (int) sockaddr.size(), deadline);
      int[] one = {1};
      LibC.get().setsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, one, 4);
      LibC.get().setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_KEEPALIVE, one, 4);
      int[] period = {KEEPALIVE_SECONDS};
      LibC.get().setsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_KEEPIDLE, period, 4);
      LibC.get().setsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_KEEPINTVL, period, 4);
      setUserTimeout(fd);
      return fd;
    } catch (LastErrorException e) {
      close(fd);
      throw new IOException("connect " + address + ": socket options: " + describe(e), e);
    } catch (IOException | RuntimeException e) {
      close(fd);
      throw e;
    }
  }

  private static int connectUnix(String address, Duration timeout) throws IOException {
    byte[] name = address.substring(1).getBytes(StandardCharsets.UTF_8);
    if (name.length == 0 || name.length > 107) {
      throw new IOException(
          "connect " + address + ": an abstract socket name has 1 to 107 bytes after '@'");
    }
    // Abstract namespace: sun_path starts with a NUL and the length counts only the name.
    Memory sockaddr = new Memory(2 + 1 + name.length);
    sockaddr.clear();
    sockaddr.setShort(0, (short) LibC.AF_UNIX);
    sockaddr.write(3, name, 0, name.length);
    int fd = openNonBlocking(address, LibC.AF_UNIX);
    try {
      connectAndWait(
          address, fd, sockaddr, (int) sockaddr.size(), System.nanoTime() + timeout.toNanos());
      return fd;
    } catch (LastErrorException e) {
      close(fd);
      throw new IOException("connect " + address + ": " + describe(e), e);
    } catch (IOException | RuntimeException e) {
      close(fd);
      throw e;
    }
  }

  private static int openNonBlocking(String address, int family) throws IOException {
    try {
      return LibC.get()
          .socket(family, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new IOException("connect " + address + ": socket: " + describe(e), e);
    }
  }

  /** Non-blocking connect bounded by the deadline, then back to blocking mode. */
  private static void connectAndWait(
      String address, int fd, Memory sockaddr, int length, long deadline) throws IOException {
    try {
      LibC.get().connect(fd, sockaddr, length);
    } catch (LastErrorException e) {
      if (e.getErrorCode() != LibC.EINPROGRESS && e.getErrorCode() != LibC.EAGAIN) {
        throw new IOException("connect " + address + ": " + describe(e), e);
      }
      awaitWritable(address, fd, deadline);
      int[] error = {0};
      LibC.get().getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ERROR, error, new int[] {4});
      if (error[0] != 0) {
        throw new IOException(
            "connect "
                + address
                + ": "
                + LibC.get().strerror(error[0])
                + " (errno "
                + error[0]
                + ")");
      }
    }
    int flags = LibC.get().fcntl(fd, LibC.F_GETFL, 0);
    LibC.get().fcntl(fd, LibC.F_SETFL, flags & ~LibC.O_NONBLOCK);
  }

  private static void awaitWritable(String address, int fd, long deadline) throws IOException {
    Memory pollfd = new Memory(8);
    // Bounded: each round either returns or consumes the remaining time; EINTR retries are
    // bounded by the deadline too.
    while (true) {
      long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        throw new SocketTimeoutException("connect " + address + ": timed out");
      }
      pollfd.clear();
      pollfd.setInt(0, fd);
      pollfd.setShort(4, LibC.POLLOUT);
      int ready;
      try {
        ready =
            LibC.get()
                .poll(
                    pollfd, new NativeLong(1), (int) Math.min(remainingMillis, Integer.MAX_VALUE));
      } catch (LastErrorException e) {
        if (e.getErrorCode() == LibC.EINTR) {
          continue;
        }
        throw new IOException("connect " + address + ": poll: " + describe(e), e);
      }
      if (ready > 0) {
        return;
      }
    }
  }

  private static void putPort(Memory sockaddr, int port) {
    sockaddr.setByte(2, (byte) (port >>> 8));
    sockaddr.setByte(3, (byte) port);
  }

  static String describe(LastErrorException e) {
    return LibC.get().strerror(e.getErrorCode()) + " (errno " + e.getErrorCode() + ")";
  }

  /** {@code host:port} with IPv6 literals in brackets. */
  record HostPort(String host, int port) {
    static HostPort parse(String address) throws IOException {
      int colon = address.lastIndexOf(':');
      if (colon <= 0 || colon == address.length() - 1) {
        throw new IOException("connect " + address + ": expected host:port or @abstract-name");
      }
      String host = address.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.indexOf(':') >= 0) {
        throw new IOException("connect " + address + ": put an IPv6 address in brackets");
      }
      int port;
      try {
        port = Integer.parseInt(address.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IOException("connect " + address + ": the port is not a number", e);
      }
      if (port < 1 || port > 65535) {
        throw new IOException("connect " + address + ": port out of range 1-65535");
      }
      return new HostPort(host, port);
    }
  }
}
