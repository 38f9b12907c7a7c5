package io.dqlite.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file generated from other sources and committed: compared with a fresh rendering, or rewritten
 * with {@code -Dpackaging.update=true} ({@code make helm-render}).
 */
final class Generated {

  private Generated() {}

  static void check(Path file, String expected) throws IOException {
    Path root = RepoPaths.root();
    String shown = file.startsWith(root) ? root.relativize(file).toString() : file.toString();
    if (RepoPaths.update()) {
      // Only a file that differs is written, and the run says which: the diff to review.
      if (Files.isRegularFile(file)
          && Files.readString(file, StandardCharsets.UTF_8).equals(expected)) {
        System.out.println("packaging: unchanged " + shown);
        return;
      }
      Files.createDirectories(file.getParent());
      Files.writeString(file, expected, StandardCharsets.UTF_8);
      System.out.println("packaging: rewrote " + shown);
      return;
    }
    assertThat(file)
        .as("%s is missing: run `make helm-render` and commit it", shown)
        .isRegularFile();
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as(
            "%s is out of date with its sources: run `make helm-render`, review the diff, commit",
            shown)
        .isEqualTo(expected);
  }
}
