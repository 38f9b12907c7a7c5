package io.dqlite.sidecar.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Addresses for the App's tests: this engineer's loopback range is 127.0.7.0/24, and each test
 * class takes its own IP in it, so classes never compete for a port.
 */
final class Loopback {

  private Loopback() {}

  /** A port free on {@code host} right now (the short race with other processes is accepted). */
  static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("find a free port on " + host, e);
    }
  }

  /** {@code host:port} with a free port. */
  static String freeAddress(String host) {
    return host + ":" + freePort(host);
  }
}
