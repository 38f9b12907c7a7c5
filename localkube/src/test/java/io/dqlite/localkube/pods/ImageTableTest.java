package io.dqlite.localkube.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageTableTest {
  private static final String YAML =
      String.join(
          "\n",
          "images:",
          "  dqlite-k8s/sidecar:",
          "    command: [java, -jar, '${REPO}/sidecar/target/dqlite-sidecar.jar']",
          "    args: [--default]",
          "    workingDir: ${REPO}",
          "    env: {A: b}",
          "    files: {/opt/dqlite/bin/dqlite-sidecar: '${REPO}/scripts/launcher'}",
          "  registry:5000/tools/http:2.0:",
          "    command: [python3, -m, http.server, --bind, $(LOCALKUBE_POD_IP)]",
          "");

  private final ImageTable table = parse(YAML);

  private static ImageTable parse(String yaml) {
    try {
      return ImageTable.parse(yaml, Map.of("REPO", "/repo"), "test");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void substitutesLoadVariablesButLeavesContainerVariables() {
    ImageTable.Image sidecar = table.lookup("dqlite-k8s/sidecar").orElseThrow();
    assertThat(sidecar.command())
        .containsExactly("java", "-jar", "/repo/sidecar/target/dqlite-sidecar.jar");
    assertThat(sidecar.workingDir()).isEqualTo("/repo");
    assertThat(sidecar.env()).containsEntry("A", "b");
    assertThat(sidecar.files())
        .containsExactly(Map.entry("/opt/dqlite/bin/dqlite-sidecar", "/repo/scripts/launcher"));
    assertThat(table.lookup("registry:5000/tools/http:2.0").orElseThrow().command())
        .endsWith("$(LOCALKUBE_POD_IP)");
  }

  @ParameterizedTest
  @CsvSource({
    "dqlite-k8s/sidecar, true",
    "dqlite-k8s/sidecar:0.1.0, true",
    "dqlite-k8s/sidecar@sha256:abc, true",
    "dqlite-k8s/sidecar:0.1.0@sha256:abc, true",
    "registry:5000/tools/http:2.0, true",
    "registry:5000/tools/http:3.0, false",
    "dqlite-k8s/operator:0.1.0, false",
  })
  void matchesAsWrittenThenWithoutTagOrDigest(String image, boolean found) {
    assertThat(table.lookup(image).isPresent()).isEqualTo(found);
  }

  @Test
  void repositoryKeepsARegistryPort() {
    assertThat(ImageTable.repository("registry:5000/a/b")).isEqualTo("registry:5000/a/b");
    assertThat(ImageTable.repository("registry:5000/a/b:1")).isEqualTo("registry:5000/a/b");
  }

  @Test
  void undefinedLoadVariableIsAnErrorNamingIt() {
    assertThatThrownBy(
            () ->
                ImageTable.parse(
                    "images:\n  x:\n    command: [${NOPE_NOT_SET_42}]\n", Map.of(), "t.yaml"))
        .hasMessageContaining("${NOPE_NOT_SET_42}")
        .hasMessageContaining("t.yaml");
  }

  @Test
  void imageWithoutCommandIsRejected() {
    assertThatThrownBy(() -> ImageTable.parse("images:\n  x:\n    args: [a]\n", Map.of(), "t"))
        .hasMessageContaining("image x has no command");
  }

  @Test
  void commandLineFollowsDockerEntrypointAndCmdRules() {
    ImageTable.Image image = new ImageTable.Image(List.of("ep", "-x"), List.of("cmd"), null, null);
    assertThat(ImageTable.commandLine(image, container(null, null)))
        .containsExactly("ep", "-x", "cmd");
    assertThat(ImageTable.commandLine(image, container(null, List.of("a1"))))
        .containsExactly("ep", "-x", "a1");
    assertThat(ImageTable.commandLine(image, container(List.of("sh", "-c"), null)))
        .containsExactly("sh", "-c");
    assertThat(ImageTable.commandLine(image, container(List.of("sh", "-c"), List.of("exit 1"))))
        .containsExactly("sh", "-c", "exit 1");
  }

  @Test
  void commandPartsTellImageEntriesFromThePodSpecs() {
    ImageTable.Image image = new ImageTable.Image(List.of("ep"), List.of("cmd"), null, null);
    assertThat(ImageTable.commandParts(image, container(null, List.of("a1"))))
        .containsExactly(new ImageTable.Arg("ep", true), new ImageTable.Arg("a1", false));
    assertThat(ImageTable.commandParts(image, container(null, null)))
        .containsExactly(new ImageTable.Arg("ep", true), new ImageTable.Arg("cmd", true));
    assertThat(ImageTable.commandParts(image, container(List.of("sh"), null)))
        .containsExactly(new ImageTable.Arg("sh", false));
  }

  private static Container container(List<String> command, List<String> args) {
    return new ContainerBuilder().withName("c").withCommand(command).withArgs(args).build();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"{opt/x: /h/x}", "{/: /h/x}", "{/opt/x: relative/x}", "{/opt/x: }"})
  void refusesImageFilesThatAreNotAbsolutePathPairs(String files) {
    assertThatThrownBy(
            () ->
                ImageTable.parse(
                    "images:\n  a/b:\n    command: [x]\n    files: " + files + "\n",
                    Map.of(),
                    "t.yaml"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("t.yaml: image a/b: files entry")
        .hasMessageContaining("must map an absolute path");
  }
}
