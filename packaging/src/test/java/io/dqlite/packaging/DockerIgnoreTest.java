package io.dqlite.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link DockerIgnore} applies patterns as Docker does, so the context checks mean something. */
class DockerIgnoreTest {

  @Test
  void lastMatchingPatternWinsAndParentsCount() {
    DockerIgnore ignore =
        DockerIgnore.parse(
            """
        # comment
        *
        !keep/
        keep/drop/
        !keep/drop/but-this
        **/target/
        """);
    assertThat(ignore.excludes("README.md")).isTrue();
    assertThat(ignore.excludes("other/file")).isTrue();
    assertThat(ignore.excludes("keep/a/b.txt")).isFalse();
    assertThat(ignore.excludes("keep/drop/x")).isTrue();
    assertThat(ignore.excludes("keep/drop/but-this")).isFalse();
    assertThat(ignore.excludes("keep/target/x.jar")).isTrue();
    assertThat(ignore.excludes("keep/a/target/x.jar")).isTrue();
    assertThat(ignore.excludes("keep/targets/x")).isFalse();
  }

  @Test
  void singleStarStaysInOnePathElement() {
    DockerIgnore ignore = DockerIgnore.parse("src/*.java\n/docs/??.md\n");
    assertThat(ignore.excludes("src/A.java")).isTrue();
    assertThat(ignore.excludes("src/a/A.java")).isFalse();
    assertThat(ignore.excludes("docs/ab.md")).isTrue();
    assertThat(ignore.excludes("docs/abc.md")).isFalse();
    assertThat(ignore.excludes("./src/A.java")).isTrue();
  }

  @Test
  void nothingIsExcludedWithoutRules() {
    assertThat(DockerIgnore.parse("").excludes("anything")).isFalse();
  }
}
