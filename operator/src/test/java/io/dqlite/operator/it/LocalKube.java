package io.dqlite.operator.it;

import io.dqlite.localkube.LocalControlPlane;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real control plane (localkube: kube-apiserver 1.36.3, controller-manager with its garbage
 * collector, scheduler, etcd) for every *IT class of the run, with the generated CRD applied;
 * stopped when the run ends. No node agent runs: pods stay Pending, which API-level tests need not
 * mind.
 */
public final class LocalKube implements BeforeAllCallback {

  private static LocalControlPlane controlPlane;

  /** The CRD as committed, the file users apply. */
  public static final Path CRD = Path.of("..", "crds", "dqliteclusters.dqlite.io-v1.yml");

  @Override
  public void beforeAll(ExtensionContext context) {
    synchronized (LocalKube.class) {
      if (controlPlane == null) {
        LocalControlPlane cp = LocalControlPlane.builder().build().start();
        controlPlane = cp;
        context
            .getRoot()
            .getStore(ExtensionContext.Namespace.GLOBAL)
            .put(LocalKube.class.getName(), new Closer(cp));
        applyCrd(cp.client());
      }
    }
  }

  /** Stops the control plane when the run's root context closes. */
  private record Closer(LocalControlPlane cp)
      implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      cp.close();
    }
  }

  public static LocalControlPlane controlPlane() {
    return controlPlane;
  }

  public static KubernetesClient admin() {
    return controlPlane.client();
  }

  private static void applyCrd(KubernetesClient client) {
    try (InputStream in = Files.newInputStream(CRD)) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client.resource(crd).fieldManager("operator-it").forceConflicts().serverSideApply();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                CustomResourceDefinition c =
                    client
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(crd.getMetadata().getName())
                        .get();
                return c.getStatus() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
              });
    } catch (IOException e) {
      throw new IllegalStateException("read " + CRD.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /** A fresh namespace with a unique name. */
  public static String namespace(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    admin()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  /** Deletes a namespace without waiting. */
  public static void deleteNamespace(String name) {
    admin().namespaces().withName(name).delete();
  }

  static <T extends HasMetadata> T create(T resource) {
    return admin().resource(resource).create();
  }
}
