package io.dqlite.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataDirTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # files                                                            | raft files
          metadata1 metadata2                                                | metadata1 metadata2
          0000000000000001-0000000000000004 open-2                           | 0000000000000001-0000000000000004 open-2
          snapshot-1-4-123 snapshot-1-4-123.meta                             | snapshot-1-4-123 snapshot-1-4-123.meta
          cluster.yaml join no-labels metadata3 open-x snapshot-1-2          |
          """)
  void raftFilesAreRecognisedByName(String files, String expected) {
    assertThat(DataDir.raftFiles(Arrays.asList(files.split(" "))))
        .containsExactlyElementsOf(expected == null ? List.of() : List.of(expected.split(" ")));
  }

  @Test
  void aDirectoryWithIdentityOrWithoutRaftDataIsAccepted(@TempDir Path dir) throws IOException {
    DataDir.requireIdentityWithRaftData(dir.resolve("absent"));
    DataDir.requireIdentityWithRaftData(dir);
    Files.writeString(dir.resolve("metadata1"), "");
    Files.writeString(dir.resolve("info.yaml"), "ID: 1\n");
    DataDir.requireIdentityWithRaftData(dir);
  }

  @Test
  void raftDataWithoutIdentityIsRefused(@TempDir Path dir) throws IOException {
    for (String f : List.of("metadata1", "metadata2", "open-1", "open-2", "open-3")) {
      Files.writeString(dir.resolve(f), "");
    }
    assertThatThrownBy(() -> DataDir.requireIdentityWithRaftData(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("data directory " + dir)
        .hasMessageContaining("metadata1, metadata2, open-1, open-2 and 1 more")
        .hasMessageContaining("Restore info.yaml")
        .hasMessageContaining("empty the directory");
  }
}
