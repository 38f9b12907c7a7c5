package io.dqlite.localkube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on a loopback address, for components that must be told their port up front. */
final class FreePorts {
  private FreePorts() {}

  /** {@code count} distinct ports that were free on {@code host} a moment ago. */
  static List<Integer> pick(String host, int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      // Held open together so the kernel cannot hand the same port out twice.
      for (int i = 0; i < count; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getByName(host)));
      }
      List<Integer> ports = new ArrayList<>();
      for (ServerSocket s : held) {
        ports.add(s.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("pick free ports on " + host + ": " + e.getMessage(), e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // nothing to undo
        }
      }
    }
  }
}
