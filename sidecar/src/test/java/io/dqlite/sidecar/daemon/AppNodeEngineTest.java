package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.sidecar.api.SidecarView;
import io.dqlite.sidecar.app.App;
import io.dqlite.sidecar.app.AppOptions;
import io.dqlite.sidecar.node.DqliteNode;
import io.dqlite.sidecar.node.EngineFeatures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppNodeEngineTest {

  @Test
  void selfEngineOfClusterNamesVersionCallsOptionsAndLastEntry() {
    EngineFeatures f =
        EngineFeatures.detect("1.18.0", "/lib/libdqlite.so.0", EngineFeatures.DISK_MODE::equals);
    AppOptions o = App.builder(Path.of("/d")).diskMode(true).snapshotCompression(false).options();
    SidecarView.Engine engine = AppNode.engine(f, o, new DqliteNode.LastEntry(42, 3));
    assertThat(engine)
        .isEqualTo(
            new SidecarView.Engine(
                "1.18.0",
                "/lib/libdqlite.so.0",
                List.of(EngineFeatures.DISK_MODE),
                true,
                null,
                false,
                new SidecarView.LastEntry(42, 3)));
    assertThat(AppNode.engine(f, o, null).lastEntryAtStart()).isNull();
  }
}
