package io.dqlite.sidecar.node;

import java.security.Security;

/**
 * How long this JVM trusts a name lookup. Peers are dialled by their pod DNS names, and a pod that
 * restarts comes back at the same name with a new IP, after a moment in which the name does not
 * resolve at all. With the JDK's defaults a lookup in that moment is remembered as "unknown host"
 * for 10 s ({@code networkaddress.cache.negative.ttl} in {@code java.security}), and an answer for
 * 30 s: a leader then cannot reach the restarted voter for that long, and with one other voter
 * stopping (a rolling update) it cannot commit. Cluster DNS already caches with its own TTL (5 s
 * for CoreDNS's records), so the JVM's cache only adds staleness.
 *
 * <p>The JDK reads these properties once, when the first lookup happens, so {@link #apply} must run
 * before anything resolves a name. They are security properties, not system properties: {@code
 * -Dsun.net.inetaddr.negative.ttl} is ignored while {@code java.security} sets the negative one.
 */
public final class NameCache {

  /** Seconds an answer is kept: enough to resolve every member once per probe round. */
  public static final int ANSWER_SECONDS = 1;

  /** Seconds "unknown host" is kept: none, a pod's name must work as soon as it is published. */
  public static final int UNKNOWN_HOST_SECONDS = 0;

  private NameCache() {}

  /**
   * Sets the cache lifetimes, unless the operator of the JVM chose its own with {@code
   * -Djava.security.properties} or by editing {@code java.security} to something other than the
   * JDK's defaults (then theirs stay).
   */
  public static void apply() {
    setUnlessChosen("networkaddress.cache.ttl", null, ANSWER_SECONDS);
    setUnlessChosen("networkaddress.cache.negative.ttl", "10", UNKNOWN_HOST_SECONDS);
  }

  private static void setUnlessChosen(String property, String jdkDefault, int seconds) {
    String current = Security.getProperty(property);
    if (current == null || current.strip().equals(jdkDefault)) {
      Security.setProperty(property, Integer.toString(seconds));
    }
  }
}
