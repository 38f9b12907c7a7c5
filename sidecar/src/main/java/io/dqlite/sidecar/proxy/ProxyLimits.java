package io.dqlite.sidecar.proxy;

import java.time.Duration;

/**
 * The limits of a {@link ProxyListener}, the node's public raft port when TLS is on, and the pure
 * decision of whether one more accepted connection may go on. Any pod that can reach the port can
 * open connections to it before TLS has authenticated anything, so everything an unauthenticated
 * peer can hold is capped: handshakes in progress (each holds a thread and a descriptor until it
 * ends), handshakes from one source address, the overall time of a handshake, and connections.
 *
 * <p>Constants, not flags: they are sized from what a cluster needs (a handful of raft connections
 * per peer, one connection per app-socket session and client), far from what a healthy cluster
 * reaches, so an operator has nothing to tune; restricting who reaches the port (a NetworkPolicy
 * admitting the database's own pods and its clients) is the operator's lever.
 */
public final class ProxyLimits {

  /**
   * Handshakes in progress at once, each on its own thread. A healthy node sees a few at a time
   * (peers reconnecting, app-socket sessions of other nodes opening upstream connections), each
   * done in milliseconds; 64 leaves room for bursts while bounding the threads a flood gets.
   */
  public static final int MAX_HANDSHAKES = 64;

  /**
   * Handshakes in progress from one source address: half of {@link #MAX_HANDSHAKES}, so one pod
   * (one address) flooding the port leaves the other half to the cluster's peers and clients.
   */
  public static final int MAX_HANDSHAKES_PER_SOURCE = MAX_HANDSHAKES / 2;

  /**
   * The overall time a peer has from the accept to a completed TLS handshake, whatever it sends
   * meanwhile (a peer trickling one byte a second is cut here, not only a silent one). A handshake
   * takes milliseconds; the dialling side (raft's connect callback, the app socket) gives up after
   * 5 s (2 s) anyway, so a longer handshake serves nobody.
   */
  public static final Duration HANDSHAKE_DEADLINE = Duration.ofSeconds(5);

  /**
   * Connections at once on one listener, handshaking or proxied. Each proxied connection costs two
   * copying threads (512 KiB stacks reserved, a few KiB touched) and three descriptors. A cluster
   * needs a few per peer for raft plus one per app-socket session on the other nodes (the app
   * socket itself takes at most 1024) and per direct client; 1024 is far above that, and keeps the
   * threads near 2,000, within common container pid limits.
   */
  public static final int MAX_CONNECTIONS = 1024;

  /** What to do with an accepted connection. */
  public enum Admission {
    ADMIT("admitted"),
    TOO_MANY_CONNECTIONS("connections"),
    TOO_MANY_HANDSHAKES("handshakes"),
    TOO_MANY_FROM_SOURCE("handshakes_per_source");

    private final String label;

    Admission(String label) {
      this.label = label;
    }

    /** The metric label and log word: which limit refused it. */
    public String label() {
      return label;
    }
  }

  private ProxyLimits() {}

  /**
   * Whether one more connection from a source may start its handshake, given what is open now.
   *
   * @param connections connections of the listener, handshaking or proxied
   * @param handshakes handshakes in progress
   * @param fromSource handshakes in progress from the new connection's source address
   */
  public static Admission admit(int connections, int handshakes, int fromSource) {
    if (connections >= MAX_CONNECTIONS) {
      return Admission.TOO_MANY_CONNECTIONS;
    }
    if (handshakes >= MAX_HANDSHAKES) {
      return Admission.TOO_MANY_HANDSHAKES;
    }
    if (fromSource >= MAX_HANDSHAKES_PER_SOURCE) {
      return Admission.TOO_MANY_FROM_SOURCE;
    }
    return Admission.ADMIT;
  }
}
