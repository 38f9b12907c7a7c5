package io.dqlite.sidecar.app;

import io.dqlite.client.net.DqliteAddress;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where libdqlite listens when the node's address is a DNS name, under plain TCP. libdqlite 1.11.1
 * binds IPv4 literals only, while in Kubernetes a node is known by its pod's stable name ({@code
 * pod-0.db-headless.ns.svc.cluster.local:9001}). The name stays the node's raft address (its
 * identity, compared as a string by every node and client); libdqlite binds the IP the name
 * resolves to, once, at start.
 */
final class BindAddress {

  private BindAddress() {}

  /**
   * The address libdqlite should bind for a node known as {@code address}: {@code address} itself
   * when its host is an IP literal; otherwise the first IPv4 address the host resolves to that is
   * loopback or belongs to one of this host's interfaces, with the same port.
   *
   * @throws IOException naming the host, when it does not resolve, resolves to no IPv4 address, or
   *     to none of this host's; the message says to set {@link AppBuilder#bindAddress}
   */
  static String resolve(String address) throws IOException {
    DqliteAddress parsed = DqliteAddress.parse(address);
    if (!(parsed instanceof DqliteAddress.Tcp tcp) || isIpLiteral(tcp.host())) {
      return address;
    }
    String host = tcp.host();
    String fix =
        "; make the name resolve to this node's IP before the node starts (for a StatefulSet's"
            + " headless service: publishNotReadyAddresses: true), or give the bind address"
            + " explicitly (bindAddress, e.g. 0.0.0.0:"
            + tcp.port()
            + ")";
    InetAddress[] candidates;
    try {
      candidates = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new IOException(
          "resolve bind address for " + address + ": host " + host + " does not resolve" + fix, e);
    }
    List<String> seen = new ArrayList<>();
    for (InetAddress ip : candidates) {
      seen.add(ip.getHostAddress());
      if (ip instanceof Inet4Address && isLocal(ip)) {
        return ip.getHostAddress() + ":" + tcp.port();
      }
    }
    throw new IOException(
        "resolve bind address for "
            + address
            + ": host "
            + host
            + " resolves to "
            + seen
            + ", none of them an IPv4 address of this host (libdqlite 1.11.1 binds IPv4 only)"
            + fix);
  }

  /** Whether {@code host} is an IPv4 or IPv6 literal (no lookup happens for a literal). */
  static boolean isIpLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true; // IPv6: the brackets were removed by the parser
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLocal(InetAddress ip) throws IOException {
    if (ip.isLoopbackAddress() || ip.isAnyLocalAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(ip) != null;
    } catch (SocketException e) {
      throw new IOException("list this host's network interfaces: " + e.getMessage(), e);
    }
  }
}
