package io.dqlite.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.dqlite.operator.dependents.Sidecar;
import io.dqlite.packaging.DockerfileModel.Instruction;
import io.dqlite.packaging.DockerfileModel.Stage;
import io.dqlite.sidecar.node.DqliteLibrary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Dockerfile against the contracts of the modules it packages: stages and targets, what the
 * build stage produces, what the images copy, the user, the launcher and the native library.
 */
class DockerfileTest {

  /** The fixed uid and gid of both images (the project's contract for non-root pods). */
  static final String UID = "10001";

  static final String SIDECAR_JAR = "/opt/dqlite/dqlite-sidecar.jar";
  static final String OPERATOR_JAR = "/opt/dqlite-operator/dqlite-operator.jar";
  static final String LAUNCHER_SOURCE = "sidecar/src/main/dist/bin/dqlite-sidecar";

  private static DockerfileModel dockerfile;
  private static DockerIgnore dockerignore;

  @BeforeAll
  static void read() throws IOException {
    dockerfile = DockerfileModel.read(RepoPaths.resolve("Dockerfile"));
    dockerignore = DockerIgnore.read(RepoPaths.resolve(".dockerignore"));
  }

  @Test
  void hasABuildStageASharedRuntimeAndTheTwoTargets() {
    assertThat(dockerfile.stages())
        .containsKeys("build-maven", "build-prebuilt", "build", "runtime", "sidecar", "operator");
    assertThat(dockerfile.stage("sidecar").base()).isEqualTo("runtime");
    assertThat(dockerfile.stage("operator").base()).isEqualTo("runtime");
    assertThat(dockerfile.globalArg("DEBIAN_IMAGE"))
        .as("the images run trixie's libdqlite0 1.18.1 by default (make images: DEBIAN_SUITE)")
        .contains("debian:trixie-slim");
    assertThat(dockerfile.stage("runtime").base()).isEqualTo("${DEBIAN_IMAGE}");
    assertThat(dockerfile.stage("build-maven").base()).isEqualTo("${DEBIAN_IMAGE}");
    assertThat(dockerfile.stage("build-prebuilt").base()).isEqualTo("scratch");
    assertThat(dockerfile.stage("build").base())
        .as("build is one of build-maven and build-prebuilt, chosen by the JARS build argument")
        .isEqualTo("build-${JARS}");
    assertThat(dockerfile.globalArg("JARS"))
        .as("a plain `docker build --target …` builds the jars with Maven, as before")
        .contains("maven");
  }

  @Test
  void runtimeCarriesAJlinkedJavaAndOnlyTheSidecarCarriesLibdqlite() {
    assertThat(aptPackages(dockerfile.stage("runtime")))
        .as("no Debian JRE, JDK, compiler or build tool in the runtime images")
        .isEmpty();
    assertThat(aptPackages(dockerfile.stage("sidecar"))).containsExactly("libdqlite0");
    assertThat(aptPackages(dockerfile.stage("operator"))).isEmpty();
    assertThat(destinationOf(dockerfile.stage("runtime"), "/build/jre")).isEqualTo("/opt/java");
    Map<String, String> env = DockerfileModel.pairs(dockerfile.lineage("operator"), "ENV");
    assertThat(env).containsEntry("JAVA_HOME", "/opt/java");
    assertThat(env.get("PATH")).startsWith("/opt/java/bin:");
  }

  @Test
  void bothBuildPathsMakeTheRuntimeFromTheSameModules() throws IOException {
    String modules =
        dockerfile
            .globalArg("JAVA_MODULES")
            .orElseThrow(() -> new AssertionError("no global ARG JAVA_MODULES=…"));
    assertThat(List.of(modules.split(",")))
        .as("jdk.crypto.ec is loaded as a TLS provider, which jdeps cannot see")
        .contains("java.base", "jdk.unsupported", "jdk.crypto.ec")
        .doesNotContain("jdk.compiler", "jdk.jartool", "jdk.jlink");
    Instruction jlink =
        dockerfile.stage("build-maven").all("RUN").stream()
            .filter(i -> i.arguments().startsWith("jlink "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("build-maven runs no jlink"));
    String jlinkLine = jlink.arguments().replaceAll("\\s+", " ");
    assertThat(jlinkLine)
        .contains("--add-modules \"${JAVA_MODULES}\"")
        .contains("--output /build/jre");
    String jlinkFlags =
        jlinkLine.substring(jlinkLine.indexOf("--strip-debug"), jlinkLine.indexOf(" --output"));
    // make images runs the same jlink on the host, with the modules it reads from the Dockerfile,
    // and lays out the prebuilt context where build-prebuilt copies it from.
    String images =
        Files.readString(RepoPaths.resolve("scripts/images/build.sh"), StandardCharsets.UTF_8);
    assertThat(images)
        .contains("ARG JAVA_MODULES=")
        .as("make images runs jlink with the Dockerfile's flags")
        .contains(jlinkFlags)
        .contains("prebuilt/sidecar/target/dqlite-sidecar.jar")
        .contains("prebuilt/operator/target/dqlite-operator.jar")
        .contains("$CONTEXT/prebuilt/jre")
        .contains("--build-arg JARS=prebuilt");
    assertThat(dockerfile.stage("build-prebuilt").all("COPY"))
        .singleElement()
        .extracting(Instruction::arguments)
        .isEqualTo("prebuilt/ /build/");
  }

  @Test
  void buildStagePackagesExactlyTheModulesWhoseJarsAreCopied() {
    Instruction mvn =
        dockerfile.stage("build-maven").all("RUN").stream()
            .filter(i -> i.arguments().contains("mvn "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the build stage runs no mvn"));
    assertThat(mvn.flags()).containsEntry("mount", "type=cache,target=/root/.m2");
    assertThat(mvn.arguments()).contains(" package").contains("-am");
    Matcher pl = Pattern.compile("-pl\\s+(\\S+)").matcher(mvn.arguments());
    assertThat(pl.find()).as("mvn -pl <modules>").isTrue();
    List<String> modules = List.of(pl.group(1).split(","));
    List<String> copiedFrom =
        jarCopiesFromBuild().stream()
            .map(c -> reactorPath(c.words().get(0)).getName(0).toString())
            .distinct()
            .toList();
    assertThat(modules).containsExactlyInAnyOrderElementsOf(copiedFrom);
  }

  @Test
  void everyCopyFromTheBuildStageIsAJarThatMavenPackageProduces() {
    List<Instruction> copies = jarCopiesFromBuild();
    assertThat(copies).hasSize(2);
    for (Instruction copy : copies) {
      Path source = reactorPath(copy.words().get(0));
      assertThat(source.toString())
          .as("COPY --from=build at line %d copies a module's build output", copy.line())
          .matches("[a-z-]+/target/[a-z-]+\\.jar");
      assertThat(RepoPaths.resolve(source.getName(0).toString()).resolve("pom.xml"))
          .as("line %d: %s is not a reactor module", copy.line(), source.getName(0))
          .isRegularFile();
    }
    assertThat(copies.stream().map(c -> reactorPath(c.words().get(0)).toString()))
        .containsExactlyInAnyOrder(BuildOutputsIT.SIDECAR_JAR, BuildOutputsIT.OPERATOR_JAR);
    assertThat(destinationOf(dockerfile.stage("sidecar"), BuildOutputsIT.SIDECAR_JAR))
        .isEqualTo(SIDECAR_JAR);
    assertThat(destinationOf(dockerfile.stage("operator"), BuildOutputsIT.OPERATOR_JAR))
        .isEqualTo(OPERATOR_JAR);
  }

  @Test
  void everyCopyFromTheContextExistsAndIsInTheContext() {
    for (Stage stage : dockerfile.stages().values()) {
      if (stage.name().equals("build-prebuilt")) {
        continue; // its context is the one make images assembles (bothBuildPaths…)
      }
      for (Instruction copy : stage.all("COPY")) {
        if (copy.flags().containsKey("from")) {
          continue;
        }
        List<String> words = copy.words();
        for (String source : words.subList(0, words.size() - 1)) {
          if (source.equals(".")) {
            continue;
          }
          assertThat(RepoPaths.resolve(source))
              .as("line %d copies %s from the repository; it does not exist", copy.line(), source)
              .exists();
          assertThat(dockerignore.excludes(source))
              .as(
                  "line %d copies %s, which .dockerignore leaves out of the context",
                  copy.line(), source)
              .isFalse();
        }
      }
    }
  }

  @Test
  void contextHoldsEveryModulePomAndTheBuiltModulesSourcesButNoBuildOutput() throws IOException {
    String parent = Files.readString(RepoPaths.resolve("pom.xml"), StandardCharsets.UTF_8);
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
    List<String> modules = new ArrayList<>();
    while (module.find()) {
      modules.add(module.group(1));
    }
    assertThat(modules).contains("http", "client", "sidecar-api", "sidecar", "operator");
    assertThat(dockerignore.excludes("pom.xml")).isFalse();
    for (String m : modules) {
      assertThat(dockerignore.excludes(m + "/pom.xml"))
          .as("Maven reads %s/pom.xml even when it does not build %s: keep it in the context", m, m)
          .isFalse();
    }
    for (String m : List.of("http", "client", "sidecar-api", "sidecar", "operator")) {
      assertThat(dockerignore.excludes(m + "/src/main/java/io/dqlite/X.java")).as(m).isFalse();
      assertThat(dockerignore.excludes(m + "/src/main/resources/x")).as(m).isFalse();
      assertThat(dockerignore.excludes(m + "/target/classes/X.class")).as(m).isTrue();
      assertThat(dockerignore.excludes(m + "/src/test/java/X.java")).as(m).isTrue();
    }
    assertThat(dockerignore.excludes(".git/config")).isTrue();
    assertThat(dockerignore.excludes(".cache/hadolint/bin/hadolint")).isTrue();
    assertThat(dockerignore.excludes(".local/localkube/pki/ca.key")).isTrue();
    assertThat(dockerignore.excludes("helm/dqlite-operator/Chart.yaml")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "operator"})
  void targetRunsAsTheFixedNonRootUser(String target) {
    Instruction user =
        dockerfile
            .stage(target)
            .last("USER")
            .orElseThrow(() -> new AssertionError("stage " + target + " sets no USER"));
    assertThat(user.arguments()).isEqualTo(UID + ":" + UID);
    String runtimeRuns =
        String.join(
            " ",
            dockerfile.stage("runtime").all("RUN").stream().map(Instruction::arguments).toList());
    assertThat(runtimeRuns)
        .contains("groupadd --system --gid " + UID)
        .contains("useradd --system --uid " + UID + " --gid " + UID);
  }

  @Test
  void operatorRunsTheSidecarWithTheImagesUser() {
    assertThat(Long.toString(Sidecar.RUN_AS_USER))
        .as(
            "the operator's pods run the sidecar as Sidecar.RUN_AS_USER, the image's USER is %s:%s;"
                + " the contract is uid/gid %s for both images",
            UID, UID, UID)
        .isEqualTo(UID);
  }

  @Test
  void sidecarLauncherIsWhereTheOperatorCallsItAndFindsTheJar() throws IOException {
    Stage sidecar = dockerfile.stage("sidecar");
    assertThat(destinationOf(sidecar, LAUNCHER_SOURCE))
        .as("the launcher's path in the image is the command the operator's pods run")
        .isEqualTo(Sidecar.LAUNCHER);
    Instruction copy = copyOf(sidecar, LAUNCHER_SOURCE);
    assertThat(copy.flags()).containsEntry("chmod", "0755");
    assertThat(dockerfile.stage("sidecar").last("ENTRYPOINT").orElseThrow().words())
        .containsExactly(Sidecar.LAUNCHER);
    assertThat(sidecar.last("CMD").orElseThrow().words()).containsExactly(Sidecar.RUN);

    Map<String, String> env = DockerfileModel.pairs(dockerfile.lineage("sidecar"), "ENV");
    Path launcher = RepoPaths.resolve(LAUNCHER_SOURCE);
    assertThat(launcher)
        .as(
            "the sidecar module's launcher script %s (contract: exec java $JAVA_OPTS -jar"
                + " ${DQLITE_HOME:-/opt/dqlite}/dqlite-sidecar.jar) is missing",
            LAUNCHER_SOURCE)
        .isRegularFile();
    String script = Files.readString(launcher, StandardCharsets.UTF_8);
    assertThat(jarTheLauncherRuns(script, env.get("DQLITE_HOME")))
        .as("the jar %s runs is the jar the image holds", LAUNCHER_SOURCE)
        .isEqualTo(SIDECAR_JAR);
    assertThat(script).as("the launcher takes JVM flags from JAVA_OPTS").contains("JAVA_OPTS");
    assertThat(env)
        .as("the launcher owns the sidecar's JVM defaults; the image must not replace them")
        .doesNotContainKey("JAVA_OPTS");
  }

  @Test
  void launcherJarIsReadFromTheContractsLauncherLine() {
    String contract =
        "#!/usr/bin/env bash\n"
            + "exec java $JAVA_OPTS -jar ${DQLITE_HOME:-/opt/dqlite}/dqlite-sidecar.jar \"$@\"\n";
    assertThat(jarTheLauncherRuns(contract, null)).isEqualTo(SIDECAR_JAR);
    assertThat(jarTheLauncherRuns(contract, "/srv/dq")).isEqualTo("/srv/dq/dqlite-sidecar.jar");
    assertThat(
            jarTheLauncherRuns(
                "exec java $JAVA_OPTS -jar \"${DQLITE_HOME:-/opt/dqlite}/lib/other.jar\" \"$@\"",
                null))
        .isEqualTo("/opt/dqlite/lib/other.jar");
    assertThat(
            jarTheLauncherRuns(
                "DQLITE_HOME=\"${DQLITE_HOME:-/opt/dq}\"\n"
                    + "exec \"$java_bin\" ${JAVA_OPTS:-$default_opts} -jar \"$DQLITE_HOME/dqlite-sidecar.jar\" \"$@\"",
                null))
        .isEqualTo("/opt/dq/dqlite-sidecar.jar");
    assertThatThrownBy(() -> jarTheLauncherRuns("exec java -cp /x Main", null))
        .hasMessageContaining("-jar ${DQLITE_HOME:-<dir>}/<jar>");
    assertThatThrownBy(() -> jarTheLauncherRuns("exec java -jar $DQLITE_HOME/x.jar", null))
        .as("no default for DQLITE_HOME")
        .hasMessageContaining("-jar ${DQLITE_HOME:-<dir>}/<jar>");
  }

  /**
   * The jar a launcher script runs, with DQLITE_HOME as the image sets it, else the script's
   * default ({@code ${DQLITE_HOME:-dir}}, inline or assigned first).
   */
  static String jarTheLauncherRuns(String script, String dqliteHome) {
    Matcher jar =
        Pattern.compile("-jar\\s+\"?(?:\\$\\{DQLITE_HOME(?::-[^}]+)?}|\\$DQLITE_HOME)/([^\"\\s]+)")
            .matcher(script);
    Matcher home = Pattern.compile("\\$\\{DQLITE_HOME:-([^}]+)}").matcher(script);
    if (!jar.find() || !home.find()) {
      throw new AssertionError(
          "the launcher does not run -jar ${DQLITE_HOME:-<dir>}/<jar>:\n" + script);
    }
    return (dqliteHome != null ? dqliteHome : home.group(1)) + "/" + jar.group(1);
  }

  @Test
  void libdqliteComesFromTheStandardLibraryPathUnderTheSonameJnaLoads() throws IOException {
    assertThat(DqliteLibrary.SONAME).isEqualTo("libdqlite.so.0");
    List<String> instructions = new ArrayList<>();
    dockerfile
        .stages()
        .values()
        .forEach(
            stage ->
                stage
                    .instructions()
                    .forEach(
                        i ->
                            instructions.add(i.keyword() + " " + i.flags() + " " + i.arguments())));
    assertThat(String.join("\n", instructions))
        .as("JNA finds libdqlite.so.0 on the loader's standard path; nothing may redirect it")
        .doesNotContain("LD_LIBRARY_PATH")
        .doesNotContain("jna.library.path");
    // The image installs the package this machine has (trixie's there, bookworm's here); where it
    // is installed here, check that it ships the soname in a standard multiarch directory.
    Path list = Path.of("/var/lib/dpkg/info/libdqlite0:amd64.list");
    assumeThat(list)
        .as(
            "Debian's libdqlite0 is not installed on this machine (`make deps`), so its file list"
                + " cannot be compared")
        .isRegularFile();
    assertThat(Files.readAllLines(list))
        .anyMatch(
            f ->
                f.matches(
                    "/usr/lib/[a-z0-9_]+-linux-gnu[a-z]*/" + Pattern.quote(DqliteLibrary.SONAME)));
  }

  @Test
  void sidecarImageMatchesThePodTheOperatorBuilds() {
    Stage sidecar = dockerfile.stage("sidecar");
    assertThat(sidecar.last("WORKDIR").orElseThrow().arguments()).isEqualTo(Sidecar.DATA_DIR);
    String runs =
        String.join(" ", sidecar.all("RUN").stream().map(Instruction::arguments).toList());
    assertThat(runs)
        .contains("mkdir -p " + Sidecar.DATA_DIR)
        .contains("chown " + UID + ":" + UID + " " + Sidecar.DATA_DIR);
    assertThat(sidecar.last("EXPOSE").orElseThrow().words())
        .containsExactlyInAnyOrder(
            Integer.toString(Sidecar.RAFT_PORT), Integer.toString(Sidecar.ADMIN_PORT));
  }

  @Test
  void operatorRunsItsJar() {
    Stage operator = dockerfile.stage("operator");
    List<String> entrypoint = operator.last("ENTRYPOINT").orElseThrow().words();
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()))
        .containsExactly("-jar", OPERATOR_JAR);
    assertThat(operator.last("EXPOSE").orElseThrow().words()).containsExactly("8080");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar", "operator"})
  void targetCarriesTheOciLabels(String target) {
    Map<String, String> labels = DockerfileModel.pairs(dockerfile.lineage(target), "LABEL");
    assertThat(labels)
        .containsKeys(
            "org.opencontainers.image.title",
            "org.opencontainers.image.description",
            "org.opencontainers.image.version",
            "org.opencontainers.image.revision",
            "org.opencontainers.image.licenses",
            "org.opencontainers.image.base.name");
    assertThat(labels.get("org.opencontainers.image.title")).isEqualTo("dqlite-" + target);
    assertThat(labels.get("org.opencontainers.image.version")).isEqualTo("${VERSION}");
    assertThat(DockerfileModel.argIn(dockerfile.stage("runtime").instructions(), "VERSION"))
        .as("the default image version is the project's release version")
        .contains(RepoPaths.releaseVersion());
  }

  @Test
  void everyHadolintIgnoreGivesItsReasonOnTheLineAbove() {
    List<String> lines = dockerfile.lines();
    for (int n = 0; n < lines.size(); n++) {
      if (lines.get(n).strip().startsWith("# hadolint ignore=")) {
        String above = n == 0 ? "" : lines.get(n - 1).strip();
        assertThat(above)
            .as("line %d ignores a hadolint rule without a reason comment above it", n + 1)
            .startsWith("#")
            .doesNotStartWith("# hadolint")
            .hasSizeGreaterThan(10);
      }
    }
  }

  @Test
  void hadolintFindsNothing() throws IOException, InterruptedException {
    Path script = RepoPaths.resolve("packaging/hadolint.sh");
    Process install =
        new ProcessBuilder("bash", script.toString(), "--install-only")
            .redirectErrorStream(true)
            .start();
    String installOutput =
        new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int installed = install.waitFor();
    assumeThat(installed)
        .as(
            "hadolint could not be installed (assumption: python3 with venv and PyPI are"
                + " available; `make lint-dockerfile` installs it):\n%s",
            installOutput)
        .isNotEqualTo(3);
    assertThat(installed).as(installOutput).isZero();
    Process lint =
        new ProcessBuilder("bash", script.toString(), RepoPaths.resolve("Dockerfile").toString())
            .redirectErrorStream(true)
            .start();
    String findings = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lint.waitFor()).as("hadolint findings:\n%s", findings).isZero();
  }

  private static List<Instruction> jarCopiesFromBuild() {
    List<Instruction> copies = new ArrayList<>();
    for (Stage stage : dockerfile.stages().values()) {
      stage.all("COPY").stream()
          .filter(c -> "build".equals(c.flags().get("from")))
          .filter(c -> !c.words().get(0).equals("/build/jre"))
          .forEach(copies::add);
    }
    return copies;
  }

  /**
   * A path in the build stage, mapped to the repository (the stage copies the context to WORKDIR).
   */
  private static Path reactorPath(String buildPath) {
    String workdir = dockerfile.stage("build-maven").last("WORKDIR").orElseThrow().arguments();
    assertThat(buildPath).as("build-stage path").startsWith(workdir + "/");
    return Path.of(buildPath.substring(workdir.length() + 1));
  }

  private static Instruction copyOf(Stage stage, String source) {
    return stage.all("COPY").stream()
        .filter(
            c -> {
              List<String> w = c.words();
              String s = w.get(0);
              return s.equals(source) || s.endsWith("/" + source);
            })
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("stage " + stage.name() + " does not copy " + source));
  }

  private static String destinationOf(Stage stage, String source) {
    List<String> w = copyOf(stage, source).words();
    return w.get(w.size() - 1);
  }

  private static List<String> aptPackages(Stage stage) {
    List<String> packages = new ArrayList<>();
    for (Instruction run : stage.all("RUN")) {
      Matcher m =
          Pattern.compile("apt-get install ((?:-\\S+\\s+)*)([^&|;]+)").matcher(run.arguments());
      while (m.find()) {
        for (String p : m.group(2).trim().split("\\s+")) {
          if (!p.startsWith("-")) {
            packages.add(p);
          }
        }
      }
    }
    return packages;
  }
}
