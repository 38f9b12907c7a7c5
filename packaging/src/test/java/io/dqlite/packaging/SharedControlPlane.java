package io.dqlite.packaging;

import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dqlite.localkube.Crds;
import io.dqlite.localkube.LocalControlPlane;
import io.dqlite.localkube.Prerequisites;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One local control plane for every packaging IT in the JVM (failsafe runs them in one fork):
 * started by the first class that asks, closed when JUnit's root context closes. It comes with the
 * DqliteCluster CRD and the test's ServiceMonitor/PodMonitor CRDs created for real and Established,
 * and the namespaces the renders and examples use. Inject it into a static {@code @BeforeAll}
 * method with {@code @ExtendWith(SharedControlPlane.Resolver.class)}.
 *
 * <p>Aborts the asking class, printing why, when the control-plane binaries are not built ({@code
 * make k8s-binaries}; {@code make test} builds them first).
 */
final class SharedControlPlane implements ExtensionContext.Store.CloseableResource {

  static final Path MONITORING_CRDS =
      RepoPaths.resolve("packaging/src/test/resources/crds/monitoring.coreos.com.yaml");
  static final String EXAMPLES_NAMESPACE = "examples";

  final LocalControlPlane controlPlane;

  /** Admin client without retries (see {@link #clientFor}). */
  final KubernetesClient client;

  final Path binDir;

  private SharedControlPlane(LocalControlPlane controlPlane, Path binDir) {
    this.controlPlane = controlPlane;
    this.binDir = binDir;
    this.client = clientFor(controlPlane.config());
  }

  /**
   * A client without retries: fabric8 retries HTTP 5xx with back-off, and the API server answers a
   * field unknown to a server-side apply with a 500; one answer is all a test needs.
   */
  static KubernetesClient clientFor(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(config).withRequestRetryBackoffLimit(0).build())
        .build();
  }

  /**
   * JUnit extension: before the class, checks the binaries (aborting the class if absent) and
   * starts the shared control plane on first use; then resolves it as a parameter.
   */
  static final class Resolver implements BeforeAllCallback, ParameterResolver {
    @Override
    public void beforeAll(ExtensionContext context) {
      String caller = context.getRequiredTestClass().getSimpleName();
      Optional<String> missing = Prerequisites.missing("helm");
      skipUnless(caller, missing.isEmpty(), "no local control plane: " + missing.orElse(""));
      Path binDir = Prerequisites.binDir();
      store(context)
          .getOrComputeIfAbsent(
              SharedControlPlane.class, k -> start(binDir), SharedControlPlane.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == SharedControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return store(context).get(SharedControlPlane.class, SharedControlPlane.class);
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
      return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
    }
  }

  private static SharedControlPlane start(Path binDir) {
    LocalControlPlane controlPlane = LocalControlPlane.builder().build().start();
    SharedControlPlane shared = new SharedControlPlane(controlPlane, binDir);
    try {
      shared.installCrdsAndNamespaces();
    } catch (IOException | RuntimeException e) {
      shared.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    return shared;
  }

  private void installCrdsAndNamespaces() throws IOException {
    Crds.applyAndAwaitEstablished(client, RepoPaths.crd());
    for (JsonNode doc : Yaml.documents(MONITORING_CRDS)) {
      Crds.applyAndAwaitEstablished(
          client,
          client.getKubernetesSerialization().convertValue(doc, CustomResourceDefinition.class));
    }
    for (String ns :
        List.of(ChartRender.NAMESPACE, EXAMPLES_NAMESPACE, "team-a", "team-b", "monitoring")) {
      client
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      controlPlane.close();
    }
  }

  /**
   * Aborts the class when {@code condition} is false. The reason is also printed: failsafe reports
   * a class aborted before its tests as "Tests run: 0" without it.
   */
  private static void skipUnless(String caller, boolean condition, String reason) {
    if (!condition) {
      System.err.println(caller + " SKIPPED: " + reason);
    }
    assumeThat(condition).as("%s skipped: %s", caller, reason).isTrue();
  }
}
