package io.dqlite.operator.it;

import io.dqlite.localkube.Crds;
import io.dqlite.localkube.LocalControlPlane;
import io.dqlite.localkube.Prerequisites;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real control plane (localkube: kube-apiserver 1.36.3, controller-manager with its garbage
 * collector, scheduler, etcd) for every *IT class of the run, with the generated CRD applied;
 * stopped when the run ends. No node agent runs: pods stay Pending, which API-level tests need not
 * mind.
 *
 * <p>The control plane needs the Kubernetes binaries ({@code make k8s-binaries}, minutes on a fresh
 * machine). Without them every class using this extension is skipped with the reason, unless {@code
 * -Dlocalkube.buildBinaries=true} (profile {@code localkube-it}) asks to build them first.
 */
public final class LocalKube implements ExecutionCondition, BeforeAllCallback {

  private static final Logger log = LoggerFactory.getLogger(LocalKube.class);
  private static LocalControlPlane controlPlane;
  private static String missing;

  /** The CRD as committed, the file users apply. */
  public static final Path CRD = Path.of("..", "crds", "dqliteclusters.dqlite.io-v1.yml");

  /** Disables each test class (once, with the reason) when the binaries are missing. */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    synchronized (LocalKube.class) {
      if (missing == null) {
        boolean build = Boolean.getBoolean("localkube.buildBinaries");
        missing = build ? "" : Prerequisites.missing().orElse("");
        if (!missing.isEmpty()) {
          log.warn("skipping the real-API-server tests: {}", missing);
        }
      }
      return missing.isEmpty()
          ? ConditionEvaluationResult.enabled("Kubernetes binaries present")
          : ConditionEvaluationResult.disabled("no real API server: " + missing);
    }
  }

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
        Crds.applyAndAwaitEstablished(cp.client(), CRD);
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

  /**
   * Writes a pod's whole status as a node agent would (none runs here); see {@link #editPodStatus}.
   */
  public static void setPodStatus(String namespace, String pod, PodStatus status) {
    editPodStatus(namespace, pod, current -> status);
  }

  /**
   * Rewrites a pod's status as a node agent would. Retried on 409: the scheduler binds a new pod
   * concurrently, which changes its resourceVersion under a read-modify-write.
   */
  public static void editPodStatus(String namespace, String pod, UnaryOperator<PodStatus> edit) {
    Awaitility.await("status of pod " + namespace + "/" + pod)
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(
            () -> {
              admin()
                  .pods()
                  .inNamespace(namespace)
                  .withName(pod)
                  .editStatus(
                      p -> {
                        p.setStatus(edit.apply(p.getStatus()));
                        return p;
                      });
              return true;
            });
  }

  static <T extends HasMetadata> T create(T resource) {
    return admin().resource(resource).create();
  }
}
