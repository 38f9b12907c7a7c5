package io.dqlite.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The jars the Dockerfile's build stage copies exist after {@code mvn package} of their modules and
 * run on their own. An IT: it runs after the package phase, and this module comes last in the
 * reactor, so the jars of this very build are checked.
 */
class BuildOutputsIT {

  static final String SIDECAR_JAR = "sidecar/target/dqlite-sidecar.jar";
  static final String OPERATOR_JAR = "operator/target/dqlite-operator.jar";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    SIDECAR_JAR + ", io/dqlite/sidecar/, com/sun/jna/Native.class",
    OPERATOR_JAR + ", io/dqlite/operator/, io/javaoperatorsdk/operator/Operator.class",
  })
  void jarIsExecutableAndSelfContained(String relative, String ownPackage, String dependencyClass)
      throws IOException {
    Path jar = RepoPaths.resolve(relative);
    String module = relative.substring(0, relative.indexOf('/'));
    assertThat(jar)
        .as(
            "%s is missing: `mvn package` in module %s must produce it (a shaded, executable jar"
                + " with that exact name: maven-shade-plugin with <finalName> and a Main-Class), since"
                + " the Dockerfile copies it from there",
            relative, module)
        .isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      assertThat(manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class"))
          .as("%s has no Main-Class: the image runs it with java -jar", relative)
          .isNotBlank();
      assertThat(file.stream().map(e -> e.getName()))
          .as("%s holds the module's classes", relative)
          .anyMatch(n -> n.startsWith(ownPackage) && n.endsWith(".class"));
      assertThat(file.getEntry(dependencyClass))
          .as(
              "%s is not shaded: %s is missing, and the image has no other class path",
              relative, dependencyClass)
          .isNotNull();
      assertThat(file.getEntry("io/dqlite/client/Client.class"))
          .as("%s carries the dqlite client", relative)
          .isNotNull();
    }
  }
}
