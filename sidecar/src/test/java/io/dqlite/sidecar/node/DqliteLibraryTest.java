package io.dqlite.sidecar.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DqliteLibraryTest {

  @Test
  void versionNumbersFormatAsDqliteDefinesThem() {
    assertThat(DqliteLibrary.formatVersion(11000)).isEqualTo("1.10.0");
    assertThat(DqliteLibrary.formatVersion(11101)).isEqualTo("1.11.1");
    assertThat(DqliteLibrary.formatVersion(11705)).isEqualTo("1.17.5");
  }
}
