package io.dqlite.sidecar.node;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.Socket;
import java.net.SocketImpl;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file descriptor behind a JDK {@link Socket}, for the one socket option the JDK cannot set
 * ({@code TCP_USER_TIMEOUT}). Reached through {@code Socket.impl}, {@code
 * SocketImpl.getFileDescriptor()} and {@code FileDescriptor.fd}, which the module system closes
 * unless the JVM opens {@code java.base/java.net} and {@code java.base/java.io} (the sidecar jar's
 * manifest does, for {@code java -jar}).
 */
final class JdkSocketFd {

  private static final Logger log = LoggerFactory.getLogger(JdkSocketFd.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final Access ACCESS = Access.find();

  private JdkSocketFd() {}

  /** The socket's fd, or empty when the JVM does not open the JDK's internals (logged once). */
  static OptionalInt of(Socket socket) {
    if (ACCESS == null) {
      return OptionalInt.empty();
    }
    try {
      Object impl = ACCESS.impl.get(socket);
      FileDescriptor fd = (FileDescriptor) ACCESS.descriptor.invoke(impl);
      int value = fd == null ? -1 : ACCESS.fd.getInt(fd);
      return value < 0 ? OptionalInt.empty() : OptionalInt.of(value);
    } catch (ReflectiveOperationException | RuntimeException e) {
      warnOnce(e.toString());
      return OptionalInt.empty();
    }
  }

  private static void warnOnce(String why) {
    if (WARNED.compareAndSet(false, true)) {
      log.info(
          "TLS connections get no TCP user timeout (a partitioned peer is noticed later): {};"
              + " run the sidecar with java -jar, or add --add-opens java.base/java.net=ALL-UNNAMED"
              + " --add-opens java.base/java.io=ALL-UNNAMED",
          why);
    }
  }

  private record Access(Field impl, Method descriptor, Field fd) {
    static Access find() {
      try {
        Field impl = Socket.class.getDeclaredField("impl");
        impl.setAccessible(true);
        Method descriptor = SocketImpl.class.getDeclaredMethod("getFileDescriptor");
        descriptor.setAccessible(true);
        Field fd = FileDescriptor.class.getDeclaredField("fd");
        fd.setAccessible(true);
        return new Access(impl, descriptor, fd);
      } catch (ReflectiveOperationException | RuntimeException e) {
        warnOnce(e.getMessage());
        return null;
      }
    }
  }
}
