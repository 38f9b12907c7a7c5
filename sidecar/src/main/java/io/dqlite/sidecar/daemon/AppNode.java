package io.dqlite.sidecar.daemon;

import io.dqlite.client.Client;
import io.dqlite.client.leader.ConnectorConfig;
import io.dqlite.client.leader.NodeStore;
import io.dqlite.client.model.DqliteException;
import io.dqlite.sidecar.api.SidecarView;
import io.dqlite.sidecar.app.App;
import io.dqlite.sidecar.app.AppOptions;
import io.dqlite.sidecar.node.DqliteNode;
import io.dqlite.sidecar.node.EngineFeatures;
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
  public SidecarView.Engine engine() {
    return engine(app.engine(), app.options(), app.lastEntryAtStart().orElse(null));
  }

  /** The {@code self.engine} of {@code GET /cluster}: pure, unit-tested. */
  static SidecarView.Engine engine(
      EngineFeatures features, AppOptions options, DqliteNode.LastEntry lastEntry) {
    return new SidecarView.Engine(
        features.version(),
        features.file(),
        features.present(),
        options.diskMode(),
        options.autoRecovery(),
        options.snapshotCompression(),
        lastEntry == null ? null : new SidecarView.LastEntry(lastEntry.index(), lastEntry.term()));
  }

  @Override
  public void close() {
    app.close();
  }
}
