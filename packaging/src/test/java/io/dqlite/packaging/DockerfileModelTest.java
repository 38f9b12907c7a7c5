package io.dqlite.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DockerfileModel} reads instructions as BuildKit does for the syntax used here. */
class DockerfileModelTest {

  private static final String TEXT =
      """
      # syntax=docker/dockerfile:1.7
      ARG BASE=debian:bookworm-slim
      FROM ${BASE} AS one
      # hadolint ignore=DL3008
      RUN apt-get update \\
      # a comment inside a continuation is dropped
       && apt-get install -y x \\

       && true
      LABEL a="b c" d=e
      FROM one AS two
      COPY --from=one --chmod=0755 /src/a /dst/a
      ENTRYPOINT ["/bin/x", "run"]
      USER 1:1
      """;

  @Test
  void joinsContinuationsAndGroupsByStage() {
    DockerfileModel model = DockerfileModel.parse(TEXT);
    assertThat(model.globalArg("BASE")).contains("debian:bookworm-slim");
    assertThat(model.stages()).containsOnlyKeys("one", "two");
    assertThat(model.stage("one").base()).isEqualTo("${BASE}");
    assertThat(model.stage("one").all("RUN"))
        .singleElement()
        .extracting(DockerfileModel.Instruction::arguments)
        .isEqualTo("apt-get update  && apt-get install -y x  && true");
    assertThat(model.lineage("two"))
        .extracting(DockerfileModel.Stage::name)
        .containsExactly("two", "one");
    DockerfileModel.Instruction copy = model.stage("two").last("COPY").orElseThrow();
    assertThat(copy.flags()).containsEntry("from", "one").containsEntry("chmod", "0755");
    assertThat(copy.words()).containsExactly("/src/a", "/dst/a");
    assertThat(model.stage("two").last("ENTRYPOINT").orElseThrow().words())
        .containsExactly("/bin/x", "run");
    assertThat(DockerfileModel.pairs(model.lineage("two"), "LABEL"))
        .containsEntry("a", "b c")
        .containsEntry("d", "e");
    assertThat(model.lines()).contains("# hadolint ignore=DL3008");
  }

  @Test
  void unknownStageAndDanglingContinuationAreErrors() {
    assertThatThrownBy(() -> DockerfileModel.parse(TEXT).stage("three"))
        .hasMessageContaining("no stage 'three'");
    assertThatThrownBy(() -> DockerfileModel.parse("FROM x\nRUN a \\\n"))
        .hasMessageContaining("continuation runs past the end");
    assertThat(DockerfileModel.parse("FROM x\n").stage("#0").instructions()).isEqualTo(List.of());
  }
}
