package io.dqlite.http;

import java.time.Duration;

/**
 * Bounds on clients.
 *
 * @param maxConnections open connections at most
 * @param maxHeadBytes request line and headers at most
 * @param maxBodyBytes request body at most
 * @param readTimeout from accept to the whole request read
 * @param writeTimeout from the answer's start to its last byte written
 */
public record Limits(
    int maxConnections,
    int maxHeadBytes,
    int maxBodyBytes,
    Duration readTimeout,
    Duration writeTimeout) {

  /** 64 connections, 8 KiB heads, 64 KiB bodies, 5 s to read, 10 s to write. */
  public static Limits defaults() {
    return new Limits(64, 8 * 1024, 64 * 1024, Duration.ofSeconds(5), Duration.ofSeconds(10));
  }

  public Limits {
    if (maxConnections < 2 || maxHeadBytes < 256 || maxBodyBytes < 0) {
      throw new IllegalArgumentException(
          "limits too small: "
              + maxConnections
              + " connections, "
              + maxHeadBytes
              + " head bytes, "
              + maxBodyBytes
              + " body bytes");
    }
    if (readTimeout.isNegative()
        || readTimeout.isZero()
        || writeTimeout.isNegative()
        || writeTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }
}
