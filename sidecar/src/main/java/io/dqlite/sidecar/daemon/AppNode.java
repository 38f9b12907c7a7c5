package io.dqlite.sidecar.daemon;

import io.dqlite.client.Client;
import io.dqlite.client.ConnectorConfig;
import io.dqlite.client.DqliteException;
import io.dqlite.client.NodeStore;
import io.dqlite.sidecar.app.App;
import java.time.Duration;

/** The {@link LocalNode} of a running {@link App}. */
final class AppNode implements LocalNode {

  private final App app;

  AppNode(App app) {
    this.app = app;
  }

  @Override
  public long id() {
    return app.id();
  }

  @Override
  public String address() {
    return app.address();
  }

  @Override
  public boolean isReady() {
    return app.isReady();
  }

  @Override
  public NodeStore store() {
    return app.store();
  }

  @Override
  public ConnectorConfig connectorConfig() {
    return app.connectorConfig();
  }

  @Override
  public Client leader() throws DqliteException {
    return app.leader();
  }

  @Override
  public void handover(Duration timeout) throws DqliteException, InterruptedException {
    app.handover(timeout);
  }

  @Override
  public void handover(Duration timeout, java.util.Set<Long> exclude)
      throws DqliteException, InterruptedException {
    app.handover(timeout, exclude);
  }

  @Override
  public void close() {
    app.close();
  }
}
