package io.dqlite.sidecar.node;

import io.dqlite.client.net.LibC;
import io.dqlite.sidecar.proxy.TcpOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The child JVM of {@link UserTimeoutIT}: applies the proxy's {@link TcpOptions} to a dialled and
 * an accepted JDK socket on loopback, then prints the {@code TCP_USER_TIMEOUT} the kernel holds for
 * each, read back through the fd.
 */
public final class UserTimeoutProbe {

  private UserTimeoutProbe() {}

  public static void main(String[] args) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket dialled = new Socket()) {
      TcpOptions.apply(dialled);
      dialled.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
      try (Socket accepted = server.accept()) {
        TcpOptions.apply(accepted);
        System.out.println("dialled: " + userTimeout(dialled));
        System.out.println("accepted: " + userTimeout(accepted));
      }
    }
  }

  private static String userTimeout(Socket socket) {
    var fd = JdkSocketFd.of(socket);
    if (fd.isEmpty()) {
      return "no fd";
    }
    int[] value = {-1};
    int[] len = {4};
    LibC.get().getsockopt(fd.getAsInt(), LibC.IPPROTO_TCP, 18, value, len);
    return value[0] + " ms";
  }
}
