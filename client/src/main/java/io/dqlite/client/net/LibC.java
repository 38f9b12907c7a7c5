package io.dqlite.client.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The project's one libc binding: the socket calls abstract unix sockets need, which the JDK cannot
 * address (its {@code UnixDomainSocketAddress} rejects the leading NUL), and the calls the
 * sidecar's libdqlite binding needs (sockets whose descriptors are handed to libdqlite, polling,
 * signal dispositions). Linux only; loaded on first use through {@link #get()}. Constants are
 * Linux's generic values, identical on x86_64 and arm64. The data path of abstract sockets (recv,
 * send) is in {@link SocketCalls}, bound directly for speed.
 */
public interface LibC extends Library {

  int AF_UNIX = 1;
  int AF_INET = 2;
  int AF_INET6 = 10;
  int SOCK_STREAM = 1;
  int SOCK_NONBLOCK = 0x800;
  int SOCK_CLOEXEC = 0x80000;
  int F_GETFL = 3;
  int F_SETFL = 4;
  int O_NONBLOCK = 0x800;
  int SHUT_WR = 1;
  int SHUT_RDWR = 2;
  int SOL_SOCKET = 1;
  int SO_ERROR = 4;
  int SO_KEEPALIVE = 9;
  int SO_SNDTIMEO = 21;
  int IPPROTO_TCP = 6;
  int TCP_NODELAY = 1;
  int TCP_KEEPIDLE = 4;
  int TCP_KEEPINTVL = 5;
  short POLLOUT = 0x4;
  int MSG_NOSIGNAL = 0x4000;
  int EINTR = 4;
  int EAGAIN = 11;
  int EPIPE = 32;
  int EINPROGRESS = 115;
  int SIGPIPE = 13;

  /** {@code sizeof(struct sigaction)} on glibc x86_64/arm64 is 152; a margin costs nothing. */
  int SIGACTION_SIZE = 256;

  /** sizeof(struct sockaddr_un) on Linux: a 2-byte family and a 108-byte path. */
  int SOCKADDR_UN_SIZE = 110;

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int connect(int fd, byte[] addr, int addrlen) throws LastErrorException;

  int connect(int fd, Pointer addr, int addrlen) throws LastErrorException;

  int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

  int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

  int listen(int fd, int backlog) throws LastErrorException;

  int accept4(int fd, Pointer addr, Pointer addrlen, int flags) throws LastErrorException;

  int getsockname(int fd, byte[] addr, int[] addrlen) throws LastErrorException;

  int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

  int setsockopt(int fd, int level, int name, int[] value, int len) throws LastErrorException;

  int getsockopt(int fd, int level, int name, int[] value, int[] len) throws LastErrorException;

  int fcntl(int fd, int cmd, int arg) throws LastErrorException;

  /** {@code fds} is an array of {@code struct pollfd} (int fd; short events; short revents). */
  int poll(Pointer fds, NativeLong nfds, int timeoutMillis) throws LastErrorException;

  NativeLong read(int fd, Pointer buf, NativeLong count) throws LastErrorException;

  NativeLong write(int fd, Pointer buf, NativeLong count) throws LastErrorException;

  /** Only to read or set a disposition; {@code act} and {@code oldact} may be null. */
  int sigaction(int signum, Pointer act, Pointer oldact) throws LastErrorException;

  String strerror(int errnum);

  int shutdown(int fd, int how) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  /** The loaded library; the holder defers loading JNA until first used. */
  static LibC get() {
    checkSupported();
    return Holder.INSTANCE;
  }

  /** sockaddr_un for an abstract name: family, a NUL, the name; its length counts no padding. */
  static byte[] abstractAddress(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > SOCKADDR_UN_SIZE - 3) {
      throw new IllegalArgumentException(
          "abstract socket name '@"
              + name
              + "' is longer than "
              + (SOCKADDR_UN_SIZE - 3)
              + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(3 + bytes.length).order(ByteOrder.nativeOrder());
    b.putShort((short) AF_UNIX).put((byte) 0).put(bytes);
    return b.array();
  }

  /** Reads the abstract name back from a sockaddr_un of {@code len} bytes. */
  static String abstractName(byte[] addr, int len) {
    if (len <= 3 || addr[2] != 0) {
      return "";
    }
    return new String(addr, 3, len - 3, StandardCharsets.UTF_8);
  }

  /** A struct timeval for socket timeouts (64-bit Linux: two longs). */
  static byte[] timeval(long millis) {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    b.putLong(millis / 1000).putLong((millis % 1000) * 1000);
    return b.array();
  }

  /** Whether JNA and abstract sockets are available on this platform. */
  static void checkSupported() {
    if (!Platform.isLinux()) {
      throw new UnsupportedOperationException(
          "abstract unix sockets (@name) exist only on Linux; use host:port or a socket path");
    }
    if (!Platform.is64Bit()) {
      throw new UnsupportedOperationException("abstract unix sockets need a 64-bit JVM here");
    }
  }

  /** Holds the library so that loading happens on first use only. */
  final class Holder {
    static final LibC INSTANCE;

    static {
      INSTANCE = Native.load("c", LibC.class);
    }

    private Holder() {}
  }
}
