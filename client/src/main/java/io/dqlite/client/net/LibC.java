package io.dqlite.client.net;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The few libc socket calls abstract unix sockets need, which the JDK cannot address (its {@code
 * UnixDomainSocketAddress} rejects the leading NUL). Linux only; loaded on first use. The data
 * path (recv, send) is in {@link SocketCalls}.
 */
interface LibC extends Library {

  int AF_UNIX = 1;
  int SOCK_STREAM = 1;
  int SOCK_CLOEXEC = 0x80000;
  int SHUT_WR = 1;
  int SHUT_RDWR = 2;
  int SOL_SOCKET = 1;
  int SO_SNDTIMEO = 21;
  int MSG_NOSIGNAL = 0x4000;
  int EINTR = 4;
  int EAGAIN = 11;
  int EINPROGRESS = 115;

  /** sizeof(struct sockaddr_un) on Linux: a 2-byte family and a 108-byte path. */
  int SOCKADDR_UN_SIZE = 110;

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int connect(int fd, byte[] addr, int addrlen) throws LastErrorException;

  int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

  int listen(int fd, int backlog) throws LastErrorException;

  int accept4(int fd, Pointer addr, Pointer addrlen, int flags) throws LastErrorException;

  int getsockname(int fd, byte[] addr, int[] addrlen) throws LastErrorException;

  int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

  int shutdown(int fd, int how) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  /** The loaded library; the holder defers loading JNA until an abstract socket is used. */
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
