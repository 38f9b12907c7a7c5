package io.dqlite.sidecar.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineFeaturesTest {

  /** The optional calls of Debian's two libraries, as `nm -D` lists them. */
  private static final Set<String> LIB_1_11_1 = Set.of(EngineFeatures.RECOVER_EXT);

  private static final Set<String> LIB_1_18_1 = Set.copyOf(EngineFeatures.OPTIONAL_SYMBOLS);

  @Test
  void detectionAsksForEveryOptionalCall() {
    EngineFeatures old =
        EngineFeatures.detect("1.10.0", "/lib/libdqlite.so.0", LIB_1_11_1::contains);
    assertThat(old.diskMode()).isFalse();
    assertThat(old.describeLastEntry()).isFalse();
    assertThat(old.autoRecovery()).isFalse();
    assertThat(old.snapshotCompression()).isFalse();
    assertThat(old.present()).containsExactly(EngineFeatures.RECOVER_EXT);

    EngineFeatures now =
        EngineFeatures.detect("1.18.0", "/lib/libdqlite.so.0", LIB_1_18_1::contains);
    assertThat(now.present()).isEqualTo(EngineFeatures.OPTIONAL_SYMBOLS);
    assertThat(now.toString()).startsWith("libdqlite 1.18.0 (/lib/libdqlite.so.0) with [");
    assertThatThrownBy(() -> now.has("dqlite_node_start"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dqlite_node_start");
  }

  @Test
  void optionsNeedTheirCallsOnlyWhenSet() {
    record Case(NodeOptions.Builder options, List<String> symbols) {}
    Path dir = Path.of("/d");
    List<Case> cases =
        List.of(
            new Case(NodeOptions.builder(1, "a:1", dir), List.of()),
            new Case(NodeOptions.builder(1, "a:1", dir).diskMode(false), List.of()),
            new Case(
                NodeOptions.builder(1, "a:1", dir).diskMode(true),
                List.of(EngineFeatures.DISK_MODE)),
            // false is a value too: auto-recovery is on by default in 1.18.
            new Case(
                NodeOptions.builder(1, "a:1", dir).autoRecovery(false),
                List.of(EngineFeatures.AUTO_RECOVERY)),
            new Case(
                NodeOptions.builder(1, "a:1", dir)
                    .diskMode(true)
                    .autoRecovery(true)
                    .snapshotCompression(true),
                List.of(
                    EngineFeatures.DISK_MODE,
                    EngineFeatures.AUTO_RECOVERY,
                    EngineFeatures.SNAPSHOT_COMPRESSION)));
    for (Case c : cases) {
      assertThat(DqliteNode.optionalCalls(c.options().build()))
          .extracting(DqliteNode.OptionalCall::symbol)
          .as(c.options().build().toString())
          .isEqualTo(c.symbols());
    }
    assertThat(
            DqliteNode.optionalCalls(
                    NodeOptions.builder(1, "a:1", dir).snapshotCompression(false).build())
                .get(0)
                .args())
        .containsExactly(false);
  }

  @Test
  void theMissingCallMessageNamesLibraryCallAndRemedy() {
    EngineFeatures old = EngineFeatures.detect("1.10.0", "/lib/x.so", s -> false);
    assertThat(old.missing("disk mode", EngineFeatures.DISK_MODE, "turn disk mode off", "node 0x1"))
        .isEqualTo(
            "disk mode is not supported by libdqlite 1.10.0 (/lib/x.so), which exports no"
                + " dqlite_node_enable_disk_mode: turn disk mode off, or install a libdqlite that"
                + " has it (Debian trixie's libdqlite0 1.18.1 does); node 0x1");
  }
}
