package io.dqlite.compat.flyway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A Maven repository in a directory (file:// URL), holding this checkout's own artifacts for a
 * nested build: each artifact's jar and its real pom, at Maven's layout. The project's jars are
 * never installed into {@code ~/.m2}, where they would change what other builds resolve.
 */
final class FileRepository {

  static final String GROUP = "io.dqlite.k8s";

  private final Path root;
  private final String version;

  FileRepository(Path root, String version) {
    this.root = root;
    this.version = version;
  }

  Path root() {
    return root;
  }

  /** Publishes a pom-only artifact (the parent pom). */
  void publishPom(String artifactId, Path pom) throws IOException {
    Files.copy(pom, file(artifactId, "pom"), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Publishes {@code artifactId}: {@code pom} and the jar that holds {@code member}: the packaged
   * jar when the build packaged it, else a jar made from its classes directory.
   */
  void publishJar(String artifactId, Path pom, Class<?> member) throws IOException {
    publishPom(artifactId, pom);
    Path from = codeSource(member);
    Path jar = file(artifactId, "jar");
    if (Files.isDirectory(from)) {
      jarDirectory(from, jar);
    } else {
      Files.copy(from, jar, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path file(String artifactId, String extension) throws IOException {
    Path dir = root.resolve(GROUP.replace('.', '/')).resolve(artifactId).resolve(version);
    Files.createDirectories(dir);
    return dir.resolve(artifactId + "-" + version + "." + extension);
  }

  private static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("where " + c.getName() + " was loaded from: " + e, e);
    }
  }

  private static void jarDirectory(Path dir, Path jar) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out)) {
      for (Path f : files) {
        zip.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, zip);
        zip.closeEntry();
      }
    }
  }
}
