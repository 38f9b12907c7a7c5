package io.dqlite.localkube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Installing CustomResourceDefinitions into a test control plane, the way every harness needs. */
public final class Crds {

  private static final Duration ESTABLISHED_WITHIN = Duration.ofMinutes(1);

  private Crds() {}

  /**
   * Applies the CRD in {@code file} (server-side, forcing conflicts, so a second harness in the
   * same run re-applies it harmlessly) and waits until the API server serves it.
   */
  public static CustomResourceDefinition applyAndAwaitEstablished(
      KubernetesClient client, Path file) {
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(file)) {
      crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
    } catch (IOException e) {
      throw new UncheckedIOException("read the CRD " + file.toAbsolutePath(), e);
    }
    return applyAndAwaitEstablished(client, crd);
  }

  /** Applies {@code crd} and waits until its {@code Established} condition is true. */
  public static CustomResourceDefinition applyAndAwaitEstablished(
      KubernetesClient client, CustomResourceDefinition crd) {
    String name = crd.getMetadata().getName();
    client.resource(crd).fieldManager("localkube-tests").forceConflicts().serverSideApply();
    long deadline = System.nanoTime() + ESTABLISHED_WITHIN.toNanos();
    while (!established(
        client.apiextensions().v1().customResourceDefinitions().withName(name).get())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "CRD "
                + name
                + " not Established within "
                + ESTABLISHED_WITHIN.toSeconds()
                + " s of its apply; see the API server's log");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for CRD " + name, e);
      }
    }
    return crd;
  }

  private static boolean established(CustomResourceDefinition c) {
    return c != null
        && c.getStatus() != null
        && c.getStatus().getConditions() != null
        && c.getStatus().getConditions().stream()
            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
  }
}
