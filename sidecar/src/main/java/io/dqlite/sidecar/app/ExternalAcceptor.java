package io.dqlite.sidecar.app;

import io.dqlite.client.net.DefaultDialer;
import io.dqlite.client.net.Transport;
import io.dqlite.sidecar.proxy.ProxyGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the connections the application accepted for this node ({@link ExternalConnection}),
 * answers each with the HTTP upgrade response and proxies it to the node's private socket: the
 * accept goroutine of go-dqlite's {@code New} (app/app.go, v1.11.9). A connection that cannot be
 * served is logged and closed (go-dqlite panics).
 */
final class ExternalAcceptor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExternalAcceptor.class);

  /** What go-dqlite writes to every accepted connection before proxying it. */
  static final byte[] UPGRADE_RESPONSE =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: dqlite\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  private final String name;
  private final BlockingQueue<Transport> accepted;
  private final String nodeBindAddress;
  private final ProxyGroup proxies;
  private final Thread thread;
  private volatile boolean closed;

  private ExternalAcceptor(
      String name, BlockingQueue<Transport> accepted, String nodeBindAddress, ProxyGroup proxies) {
    this.name = name;
    this.accepted = accepted;
    this.nodeBindAddress = nodeBindAddress;
    this.proxies = proxies;
    this.thread = new Thread(this::loop, "dqlite-external-accept-" + name);
    this.thread.setDaemon(true);
  }

  static ExternalAcceptor start(
      String name, BlockingQueue<Transport> accepted, String nodeBindAddress, ProxyGroup proxies) {
    ExternalAcceptor acceptor = new ExternalAcceptor(name, accepted, nodeBindAddress, proxies);
    acceptor.thread.start();
    return acceptor;
  }

  private void loop() {
    while (!closed) {
      Transport remote;
      try {
        remote = accepted.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        serve(remote);
      } catch (Throwable e) {
        // One connection that cannot be served must not stop the node from taking others.
        LOG.error(
            "node {}: serve the connection from {}: {}", name, remote.address(), e.toString());
        remote.close();
      }
    }
  }

  private void serve(Transport remote) {
    try {
      remote.output().write(UPGRADE_RESPONSE);
      remote.output().flush();
    } catch (IOException e) {
      LOG.warn(
          "node {}: write the upgrade response to {}: {}", name, remote.address(), e.getMessage());
      remote.close();
      return;
    }
    Transport local;
    try {
      local = DefaultDialer.INSTANCE.dial(nodeBindAddress, Duration.ofSeconds(5));
    } catch (IOException e) {
      LOG.error("node {}: connect to the node at {}: {}", name, nodeBindAddress, e.getMessage());
      remote.close();
      return;
    }
    proxies.start(remote, local);
  }

  /** Stops taking connections; those left in the queue stay there. Idempotent. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
