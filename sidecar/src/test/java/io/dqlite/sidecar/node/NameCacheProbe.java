package io.dqlite.sidecar.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM of {@link NameCacheIT}: resolves a peer's name through a hosts file while the file
 * changes the way cluster DNS does around a pod restart (no record, a record, a new IP), and prints
 * what each lookup saw. Argument 1 is the hosts file, argument 2 {@code policy} to apply {@link
 * NameCache} first or {@code jdk} to keep the JDK's defaults.
 */
public final class NameCacheProbe {

  static final String PEER = "peer-1.db-headless.ns.svc.cluster.local";

  private NameCacheProbe() {}

  public static void main(String[] args) throws Exception {
    Path hosts = Path.of(args[0]);
    if (args[1].equals("policy")) {
      NameCache.apply();
    }
    write(hosts, null);
    System.out.println("while unpublished: " + lookup());
    write(hosts, "127.0.0.2");
    System.out.println("once published: " + lookup());
    write(hosts, "127.0.0.3");
    // A bounded wait for the new IP, as a dialling peer would retry: 5 s, well under the JDK's 30.
    long deadline = System.nanoTime() + 5_000_000_000L;
    String seen = lookup();
    while (!seen.equals("127.0.0.3") && System.nanoTime() < deadline) {
      Thread.sleep(100);
      seen = lookup();
    }
    System.out.println("after the IP changed: " + seen);
  }

  private static String lookup() {
    try {
      return InetAddress.getByName(PEER).getHostAddress();
    } catch (UnknownHostException e) {
      return "unknown host";
    }
  }

  private static void write(Path hosts, String ip) throws IOException {
    String file = "127.0.0.1 localhost\n" + (ip == null ? "" : ip + " " + PEER + "\n");
    Path tmp = hosts.resolveSibling("hosts.tmp");
    Files.writeString(tmp, file);
    Files.move(tmp, hosts, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
