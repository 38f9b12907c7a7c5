package io.dqlite.client.leader;

import io.dqlite.client.net.DefaultDialer;
import io.dqlite.client.net.Dialer;
import io.dqlite.client.protocol.FrameReader;
import io.dqlite.client.protocol.ProtocolConnection;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach dqlite nodes and find the leader. Immutable; {@link #defaults()} or {@link
 * #builder()}. The leader-search defaults are go-dqlite 1.11's.
 *
 * @param dialer opens transports; default {@link DefaultDialer#INSTANCE} (TCP and unix sockets)
 * @param dialTimeout how long one dial may take; default 5 s
 * @param attemptTimeout how long probing one node may take (dial, handshake, leader and client
 *     requests); default 15 s
 * @param backoffFactor the first retry delay, doubled at every round; default 100 ms
 * @param backoffCap the largest retry delay; default 1 s. Each delay is drawn between half and all
 *     of its value (jitter), so clients that failed together do not retry together
 * @param retryLimit how many rounds over all nodes to retry after the first; 0 (default) means no
 *     limit other than {@code connectTimeout}
 * @param connectTimeout the overall deadline of a leader search; default 30 s
 * @param requestTimeout the deadline of each request on an established connection; default 30 s
 * @param clientId the id sent in the client registration; default 0, as go-dqlite
 * @param maxFrameSize the largest response body accepted, in bytes; a bigger one is refused before
 *     it is read and the connection closed. Default {@link
 *     ProtocolConnection#DEFAULT_MAX_FRAME_SIZE} (1 GiB: any row SQLite can produce, and dumps of
 *     databases up to about that size)
 */
public record ConnectorConfig(
    Dialer dialer,
    Duration dialTimeout,
    Duration attemptTimeout,
    Duration backoffFactor,
    Duration backoffCap,
    int retryLimit,
    Duration connectTimeout,
    Duration requestTimeout,
    long clientId,
    int maxFrameSize) {

  public ConnectorConfig {
    Objects.requireNonNull(dialer, "dialer");
    positive(dialTimeout, "dialTimeout");
    positive(attemptTimeout, "attemptTimeout");
    positive(backoffFactor, "backoffFactor");
    positive(backoffCap, "backoffCap");
    positive(connectTimeout, "connectTimeout");
    positive(requestTimeout, "requestTimeout");
    if (maxFrameSize < 8 || maxFrameSize > FrameReader.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "maxFrameSize must be between 8 and "
              + FrameReader.MAX_LIMIT
              + " bytes, got "
              + maxFrameSize);
    }
    if (retryLimit < 0) {
      throw new IllegalArgumentException("retryLimit must be 0 (no limit) or positive");
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  /** Every default. */
  public static ConnectorConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .dialer(dialer)
        .dialTimeout(dialTimeout)
        .attemptTimeout(attemptTimeout)
        .backoffFactor(backoffFactor)
        .backoffCap(backoffCap)
        .retryLimit(retryLimit)
        .connectTimeout(connectTimeout)
        .requestTimeout(requestTimeout)
        .clientId(clientId)
        .maxFrameSize(maxFrameSize);
  }

  /** Builds a {@link ConnectorConfig}; unset values keep their defaults. */
  public static final class Builder {
    private Dialer dialer = DefaultDialer.INSTANCE;
    private Duration dialTimeout = Duration.ofSeconds(5);
    private Duration attemptTimeout = Duration.ofSeconds(15);
    private Duration backoffFactor = Duration.ofMillis(100);
    private Duration backoffCap = Duration.ofSeconds(1);
    private int retryLimit = 0;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private long clientId = 0;
    private int maxFrameSize = ProtocolConnection.DEFAULT_MAX_FRAME_SIZE;

    private Builder() {}

    public Builder dialer(Dialer v) {
      dialer = v;
      return this;
    }

    public Builder dialTimeout(Duration v) {
      dialTimeout = v;
      return this;
    }

    public Builder attemptTimeout(Duration v) {
      attemptTimeout = v;
      return this;
    }

    public Builder backoffFactor(Duration v) {
      backoffFactor = v;
      return this;
    }

    public Builder backoffCap(Duration v) {
      backoffCap = v;
      return this;
    }

    public Builder retryLimit(int v) {
      retryLimit = v;
      return this;
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder requestTimeout(Duration v) {
      requestTimeout = v;
      return this;
    }

    public Builder clientId(long v) {
      clientId = v;
      return this;
    }

    public Builder maxFrameSize(int bytes) {
      maxFrameSize = bytes;
      return this;
    }

    public ConnectorConfig build() {
      return new ConnectorConfig(
          dialer,
          dialTimeout,
          attemptTimeout,
          backoffFactor,
          backoffCap,
          retryLimit,
          connectTimeout,
          requestTimeout,
          clientId,
          maxFrameSize);
    }
  }
}
