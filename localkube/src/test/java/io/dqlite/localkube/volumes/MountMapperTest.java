package io.dqlite.localkube.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MountMapperTest {
  private final MountMapper mapper =
      new MountMapper(
          Map.of(
              "/var/lib/dqlite", Path.of("/h/pv/data"),
              "/var/lib/dqlite/tls", Path.of("/h/pod/volumes/tls"),
              "/etc/config/", Path.of("/h/pod/volumes/cfg")));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/var/lib/dqlite|/h/pv/data",
        "/var/lib/dqlite/|/h/pv/data/",
        "/var/lib/dqlite/db/x|/h/pv/data/db/x",
        "/var/lib/dqlite/tls/ca.crt|/h/pod/volumes/tls/ca.crt",
        "/var/lib/dqlitex|/var/lib/dqlitex",
        "/etc/config|/h/pod/volumes/cfg",
        "relative/var/lib/dqlite|relative/var/lib/dqlite",
      })
  void mapsPathsUnderTheLongestMount(String path, String expected) {
    assertThat(mapper.map(path)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--data-dir=/var/lib/dqlite|--data-dir=/h/pv/data",
        "--tls /var/lib/dqlite/tls/a.crt|--tls /h/pod/volumes/tls/a.crt",
        "/a:/etc/config/x:/b|/a:/h/pod/volumes/cfg/x:/b",
        "x=/etc/config,y=/var/lib/dqlite|x=/h/pod/volumes/cfg,y=/h/pv/data",
        "echo ok > /var/lib/dqlite/marker|echo ok > /h/pv/data/marker",
        "http://host/var/lib/dqlite|http://host/var/lib/dqlite",
        "no paths here|no paths here",
      })
  void rewritesPathsInsideArguments(String arg, String expected) {
    assertThat(mapper.rewrite(arg)).isEqualTo(expected);
  }

  @Test
  void rewritesListsAndEnvValues() {
    assertThat(mapper.rewrite(List.of("-d", "/var/lib/dqlite")))
        .containsExactly("-d", "/h/pv/data");
    assertThat(mapper.rewrite("/etc/config/a")).isEqualTo("/h/pod/volumes/cfg/a");
  }

  @Test
  void refusesAMountAtTheRoot() {
    assertThatThrownBy(() -> new MountMapper(Map.of("/", Path.of("/h"))))
        .hasMessageContaining("below it");
  }

  @Test
  void imageFilesAreTranslatedUnlessAVolumeIsMountedOverThem() {
    MountMapper withFiles =
        mapper.withImageFiles(
            Map.of(
                "/opt/dqlite/bin/dqlite-sidecar", "/repo/scripts/launcher",
                "/var/lib/dqlite/image-file", "/repo/hidden"));
    assertThat(withFiles.rewrite(List.of("/opt/dqlite/bin/dqlite-sidecar", "handover")))
        .containsExactly("/repo/scripts/launcher", "handover");
    assertThat(withFiles.map("/var/lib/dqlite/image-file")).isEqualTo("/h/pv/data/image-file");
    assertThat(withFiles.map("/var/lib/dqlite")).isEqualTo("/h/pv/data");
  }
}
