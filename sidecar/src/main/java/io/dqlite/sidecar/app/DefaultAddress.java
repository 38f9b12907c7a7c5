package io.dqlite.sidecar.app;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The address a node takes on its first start when none is given: go-dqlite's {@code
 * defaultAddress} (app/options.go, v1.11.9), the first address of the first non-loopback network
 * interface (in interface index order) with port 9000, IPv6 in brackets.
 */
final class DefaultAddress {

  static final int PORT = 9000;

  private DefaultAddress() {}

  static String find() throws IOException {
    List<NetworkInterface> interfaces = Collections.list(NetworkInterface.getNetworkInterfaces());
    interfaces.sort(Comparator.comparingInt(NetworkInterface::getIndex));
    for (NetworkInterface iface : interfaces) {
      if (iface.isLoopback()) {
        continue;
      }
      List<InterfaceAddress> addresses = iface.getInterfaceAddresses();
      if (addresses.isEmpty()) {
        continue;
      }
      // Go lists an interface's IPv4 addresses before its IPv6 ones; the JDK may not.
      InetAddress first =
          addresses.stream()
              .map(InterfaceAddress::getAddress)
              .min(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1))
              .orElseThrow();
      return format(first);
    }
    throw new IOException(
        "find a default address: no non-loopback network interface has an address; give the"
            + " address explicitly");
  }

  static String format(InetAddress address) {
    if (address instanceof Inet4Address) {
      return address.getHostAddress() + ":" + PORT;
    }
    String host = address.getHostAddress();
    int zone = host.indexOf('%');
    if (zone >= 0) {
      host = host.substring(0, zone);
    }
    return "[" + host + "]:" + PORT;
  }
}
