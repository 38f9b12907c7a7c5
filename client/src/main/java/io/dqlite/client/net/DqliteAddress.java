package io.dqlite.client.net;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A parsed node address. go-dqlite dials {@code @name} as an abstract unix socket and anything else
 * as TCP; this client also accepts filesystem socket paths.
 */
public sealed interface DqliteAddress {

  /** A TCP address; IPv6 hosts come without brackets. */
  record Tcp(String host, int port) implements DqliteAddress {}

  /** A Linux abstract unix socket, {@code @name}: the name without the leading {@code @}. */
  record AbstractUnix(String name) implements DqliteAddress {}

  /** A unix socket at a filesystem path. */
  record UnixPath(Path path) implements DqliteAddress {}

  /** {@link #parse} for a dialer: a malformed address fails the dial as an {@link IOException}. */
  static DqliteAddress parseToDial(String address) throws IOException {
    try {
      return parse(address);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * Parses {@code host:port}, {@code [ipv6]:port}, {@code @name}, {@code /path} or {@code
   * unix:/path}.
   *
   * @throws IllegalArgumentException with the accepted forms, for anything else
   */
  static DqliteAddress parse(String address) {
    if (address == null || address.isEmpty()) {
      throw invalid(address, "it is empty");
    }
    if (address.startsWith("@")) {
      if (address.length() == 1) {
        throw invalid(address, "the abstract socket name is empty");
      }
      return new AbstractUnix(address.substring(1));
    }
    if (address.startsWith("unix:")) {
      String path = address.substring("unix:".length());
      if (path.isEmpty()) {
        throw invalid(address, "the socket path is empty");
      }
      return new UnixPath(Path.of(path));
    }
    if (address.startsWith("/")) {
      return new UnixPath(Path.of(address));
    }
    String host;
    String port;
    if (address.startsWith("[")) {
      int close = address.indexOf("]:");
      if (close < 0) {
        throw invalid(address, "an IPv6 address needs the form [host]:port");
      }
      host = address.substring(1, close);
      port = address.substring(close + 2);
    } else {
      int colon = address.lastIndexOf(':');
      if (colon < 0) {
        throw invalid(address, "the port is missing");
      }
      host = address.substring(0, colon);
      port = address.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw invalid(address, "put an IPv6 host in brackets, e.g. [::1]:9001");
      }
    }
    if (host.isEmpty()) {
      throw invalid(address, "the host is empty");
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw invalid(address, "the port is not a number");
    }
    if (p < 1 || p > 65535) {
      throw invalid(address, "the port is out of range");
    }
    return new Tcp(host, p);
  }

  private static IllegalArgumentException invalid(String address, String why) {
    return new IllegalArgumentException(
        "invalid dqlite address '"
            + address
            + "': "
            + why
            + " (expected host:port, [ipv6]:port, @abstract-name, /socket/path or unix:/path)");
  }
}
