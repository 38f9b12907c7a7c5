package io.dqlite.sidecar.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's table of the sidecar's flags is {@link SidecarSetting#markdownTable()}, verbatim: a
 * setting added, renamed or with a new default fails here until the README says so. Run with {@code
 * -Ddqlite.docs.write=true} to write the table into the README.
 */
class SidecarDocsTest {

  private static final String START = "| Flag | Environment | Default | Meaning |\n";

  private static Path readme() {
    Path path = Path.of("../README.md");
    return Files.exists(path) ? path : Path.of("README.md");
  }

  @Test
  void theReadmeTableIsTheSettings() throws IOException {
    String doc = Files.readString(readme());
    int start = doc.indexOf(START);
    assertThat(start).as("the README's sidecar table starts with " + START).isNotNegative();
    int end = doc.indexOf("\n\n", start);
    String table = doc.substring(start, end + 1);
    String expected = SidecarSetting.markdownTable();
    if (Boolean.getBoolean("dqlite.docs.write") && !table.equals(expected)) {
      Files.writeString(readme(), doc.substring(0, start) + expected + doc.substring(end + 1));
      return;
    }
    assertThat(table)
        .as("README.md's flag table; -Ddqlite.docs.write=true rewrites it from SidecarSetting")
        .isEqualTo(expected);
  }
}
