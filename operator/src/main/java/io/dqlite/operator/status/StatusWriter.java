package io.dqlite.operator.status;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Writes a cluster's status and returns what the API server answered, so that the reconciler acts
 * on a recorded intent only once the server holds it (a status JOSDK would apply after the pass can
 * fail after the step already ran). Production: {@link #serverSideApply}.
 */
@FunctionalInterface
public interface StatusWriter {

  /**
   * Applies {@code patch} (name, namespace and status only) to the status subresource.
   *
   * @return the resource as the API server stored it
   * @throws KubernetesClientException when the API server refused or could not be reached
   */
  DqliteCluster write(KubernetesClient client, String fieldManager, DqliteCluster patch);

  /** A forced server-side apply under the controller's field manager, as JOSDK's own patch. */
  static StatusWriter serverSideApply() {
    return (client, fieldManager, patch) ->
        client
            .resource(patch)
            .subresource("status")
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.SERVER_SIDE_APPLY)
                    .withFieldManager(fieldManager)
                    .withForce(true)
                    .build());
  }
}
