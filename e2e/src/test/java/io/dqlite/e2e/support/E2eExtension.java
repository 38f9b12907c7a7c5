package io.dqlite.e2e.support;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The suite's shared {@link E2eEnvironment} (started by the first test class, closed when the run
 * ends) and a fresh namespace per test, injected as a {@link TestNamespace} or {@link
 * E2eEnvironment} parameter. After a failed test the namespace's pods, their logs, the
 * DqliteClusters' status, the events and the operator's log are printed; then the namespace is
 * deleted (pods without grace) and its deletion awaited, also after a failure.
 */
public final class E2eExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(E2eExtension.class);

  /** The environment, or why it could not start (so later classes fail fast with the cause). */
  private record Holder(E2eEnvironment env, RuntimeException failure) implements AutoCloseable {
    @Override
    public void close() {
      if (env != null) {
        env.close();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    environment(context);
  }

  private static E2eEnvironment environment(ExtensionContext context) {
    Holder holder =
        context
            .getRoot()
            .getStore(STORE)
            .getOrComputeIfAbsent(
                "environment",
                k -> {
                  try {
                    return new Holder(E2eEnvironment.start(), null);
                  } catch (RuntimeException e) {
                    return new Holder(null, e);
                  }
                },
                Holder.class);
    if (holder.failure() != null) {
      throw holder.failure();
    }
    return holder.env();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    E2eEnvironment env = environment(context);
    String name =
        namespaceName(
            context.getRequiredTestClass().getSimpleName(),
            context.getRequiredTestMethod().getName());
    env.client()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("e2e.dqlite.io/test", "true")
                .endMetadata()
                .build())
        .create();
    context.getStore(STORE).put("namespace", new TestNamespace(name));
    System.out.println("E2E " + context.getDisplayName() + ": namespace " + name);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestNamespace ns = context.getStore(STORE).get("namespace", TestNamespace.class);
    if (ns == null) {
      return;
    }
    E2eEnvironment env = environment(context);
    if (context.getExecutionException().isPresent()) {
      Diagnostics.dump(env, ns.name());
    }
    deleteNamespace(env.client(), ns.name());
  }

  /** Deletes a namespace and waits until it is gone; pods go without grace. */
  static void deleteNamespace(KubernetesClient client, String name) {
    long t0 = System.nanoTime();
    // The namespace first: once it is terminating no pod can be created in it, so the StatefulSet
    // cannot replace the pods deleted below (replacements the namespace controller would then
    // wait for, up to their grace period). Then the pods without grace, as long as any is left.
    client.namespaces().withName(name).delete();
    try {
      Awaitility.await("namespace " + name + " deleted")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                if (!client.pods().inNamespace(name).list().getItems().isEmpty()) {
                  client.pods().inNamespace(name).withGracePeriod(0).delete();
                }
                return client.namespaces().withName(name).get() == null;
              });
      System.out.printf(
          "E2E cleanup: namespace %s deleted in %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
    } catch (ConditionTimeoutException slow) {
      // A DqliteCluster whose finalizer nobody removes (the operator is down or failing) holds the
      // namespace: drop the finalizers, say so, and wait again.
      List<DqliteCluster> left =
          client.resources(DqliteCluster.class).inNamespace(name).list().getItems();
      System.out.println(
          "E2E cleanup: namespace "
              + name
              + " still terminating after 90 s; "
              + left.size()
              + " DqliteCluster(s) left, removing their finalizers");
      for (DqliteCluster cr : left) {
        client
            .resources(DqliteCluster.class)
            .inNamespace(name)
            .withName(cr.getMetadata().getName())
            .edit(
                c -> {
                  c.getMetadata().setFinalizers(List.of());
                  return c;
                });
      }
      client.pods().inNamespace(name).withGracePeriod(0).delete();
      Awaitility.await("namespace " + name + " deleted after removing finalizers")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> client.namespaces().withName(name).get() == null);
    }
  }

  /** {@code e2e-<class>-<method>-<4 hex>}, at most 63 characters, DNS-label safe. */
  static String namespaceName(String testClass, String method) {
    String cls = testClass.replaceAll("E2E$", "").replaceAll("([a-z])([A-Z])", "$1-$2");
    String m = method.replaceAll("([a-z])([A-Z])", "$1-$2");
    String base = ("e2e-" + cls + "-" + m).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    if (base.length() > 50) {
      base = base.substring(0, 50);
    }
    base = base.replaceAll("-+$", "");
    return base + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    return type == TestNamespace.class || type == E2eEnvironment.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    if (p.getParameter().getType() == E2eEnvironment.class) {
      return environment(e);
    }
    return e.getStore(STORE).get("namespace", TestNamespace.class);
  }
}
