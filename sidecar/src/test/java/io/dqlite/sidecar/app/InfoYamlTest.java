package io.dqlite.sidecar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** info.yaml and the join flag, as {@link AppFiles} keeps them. */
class InfoYamlTest {

  @TempDir Path dir;

  @Test
  void infoRoundTripsWithAnUnsignedIdInGoDqlitesLayout() throws IOException {
    NodeInfo info = new NodeInfo(-3L, "10.0.0.5:9000", NodeRole.VOTER);
    AppFiles.writeInfo(dir, info);

    Path file = dir.resolve(AppFiles.INFO);
    assertThat(Files.readString(file))
        .isEqualTo("Address: 10.0.0.5:9000\nID: 18446744073709551613\nRole: 0\n");
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(AppFiles.readInfo(dir)).isEqualTo(info);
  }

  @Test
  void readsInfoWithKeysInAnyOrder() throws IOException {
    Files.writeString(
        dir.resolve(AppFiles.INFO), "ID: 3297041220608546238\nRole: 0\nAddress: '[::1]:9000'\n");
    assertThat(AppFiles.readInfo(dir))
        .isEqualTo(new NodeInfo(0x2dc171858c3155beL, "[::1]:9000", NodeRole.VOTER));
  }

  @Test
  void corruptInfoNamesTheFile() throws IOException {
    Path file = Files.writeString(dir.resolve(AppFiles.INFO), "ID: 1\nRole: 0\n");
    assertThatThrownBy(() -> AppFiles.readInfo(dir))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("Address is missing");
  }

  @Test
  void joinFlagIsAnEmptyPrivateFileAndRemovingItTwiceIsFine() throws IOException {
    assertThat(AppFiles.exists(dir, AppFiles.JOIN)).isFalse();
    AppFiles.writeJoin(dir);
    Path join = dir.resolve(AppFiles.JOIN);
    assertThat(AppFiles.exists(dir, AppFiles.JOIN)).isTrue();
    assertThat(Files.size(join)).isZero();
    assertThat(mode(join)).isEqualTo("rw-------");

    AppFiles.remove(dir, AppFiles.JOIN);
    AppFiles.remove(dir, AppFiles.JOIN);
    assertThat(AppFiles.exists(dir, AppFiles.JOIN)).isFalse();
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
