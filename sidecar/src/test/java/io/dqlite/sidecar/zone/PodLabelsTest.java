package io.dqlite.sidecar.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class PodLabelsTest {

  @Test
  void parsesTheDownwardApiFormat() throws IOException {
    String text =
        "app=\"db\"\n"
            + "statefulset.kubernetes.io/pod-name=\"db-0\"\n"
            + "topology.kubernetes.io/zone=\"eu-west-1a\"\n"
            + "quoted=\"say \\\"hi\\\"\"";
    assertThat(PodLabels.parse(text, "labels"))
        .containsEntry("app", "db")
        .containsEntry("topology.kubernetes.io/zone", "eu-west-1a")
        .containsEntry("quoted", "say \"hi\"")
        .hasSize(4);
  }

  @Test
  void rejectsOtherFormats() {
    assertThatThrownBy(() -> PodLabels.parse("zone: a", "f"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("f:1")
        .hasMessageContaining("key=\"value\"");
  }

  @Test
  void emptyFileHasNoLabels() throws IOException {
    assertThat(PodLabels.parse("\n", "f")).isEmpty();
  }
}
