package io.dqlite.sidecar.node;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few libc calls the binding needs: sockets whose descriptors are handed to libdqlite, and
 * signal dispositions. Constants are Linux's generic values, identical on x86_64 and arm64; this
 * binding is for Linux only, as libdqlite is.
 */
interface Libc extends Library {

  int AF_UNIX = 1;
  int AF_INET = 2;
  int AF_INET6 = 10;
  int SOCK_STREAM = 1;
  int SOCK_NONBLOCK = 0x800;
  int SOCK_CLOEXEC = 0x80000;

  int F_GETFL = 3;
  int F_SETFL = 4;
  int O_NONBLOCK = 0x800;

  int SOL_SOCKET = 1;
  int SO_ERROR = 4;
  int SO_KEEPALIVE = 9;
  int IPPROTO_TCP = 6;
  int TCP_NODELAY = 1;
  int TCP_KEEPIDLE = 4;
  int TCP_KEEPINTVL = 5;

  short POLLOUT = 0x4;

  int SHUT_WR = 1;
  int SHUT_RDWR = 2;

  int EINTR = 4;
  int EAGAIN = 11;
  int EPIPE = 32;
  int EINPROGRESS = 115;

  int SIGPIPE = 13;

  /** {@code sizeof(struct sigaction)} on glibc x86_64/arm64 is 152; a margin costs nothing. */
  int SIGACTION_SIZE = 256;

  /** Loaded once; libc is always there. */
  Libc INSTANCE = Native.load("c", Libc.class);

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

  int connect(int fd, Pointer addr, int addrlen) throws LastErrorException;

  int setsockopt(int fd, int level, int name, int[] value, int len) throws LastErrorException;

  int getsockopt(int fd, int level, int name, int[] value, int[] len) throws LastErrorException;

  int fcntl(int fd, int cmd, int arg) throws LastErrorException;

  /** {@code fds} is an array of {@code struct pollfd} (int fd; short events; short revents). */
  int poll(Pointer fds, NativeLong nfds, int timeoutMillis) throws LastErrorException;

  NativeLong read(int fd, Pointer buf, NativeLong count) throws LastErrorException;

  NativeLong write(int fd, Pointer buf, NativeLong count) throws LastErrorException;

  int shutdown(int fd, int how) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  /** Only to read or set a disposition; {@code act} and {@code oldact} may be null. */
  int sigaction(int signum, Pointer act, Pointer oldact) throws LastErrorException;

  String strerror(int errnum);
}
