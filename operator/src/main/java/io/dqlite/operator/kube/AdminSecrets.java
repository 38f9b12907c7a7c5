package io.dqlite.operator.kube;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.DesiredAdminSecret;
import io.dqlite.operator.membership.AdminToken;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.SecureRandom;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each cluster's admin Secret ({@link DesiredAdminSecret}) and reads its token for the
 * operator's calls to the sidecars. Read by name at every pass ({@code get}, as the TLS Secrets
 * are: no Secret informer, so no {@code list}/{@code watch} on Secrets); created when missing;
 * never changed. A Secret the user made beforehand is used as it is.
 */
public final class AdminSecrets {

  private static final Logger log = LoggerFactory.getLogger(AdminSecrets.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The token, or why there is none (then {@link AdminToken#NONE}, and the sidecars refuse the
   * calls).
   */
  public record Outcome(AdminToken token, Optional<String> failure) {}

  private final KubernetesClient client;

  public AdminSecrets(KubernetesClient client) {
    this.client = client;
  }

  /** The cluster's token, creating its Secret first when there is none. */
  public Outcome ensure(DqliteCluster cr) {
    String ns = cr.getMetadata().getNamespace();
    String name = ClusterNames.adminSecret(cr);
    try {
      Secret secret = client.secrets().inNamespace(ns).withName(name).get();
      if (secret == null) {
        try {
          secret =
              client
                  .resource(DesiredAdminSecret.build(cr, DesiredAdminSecret.newToken(RANDOM)))
                  .create();
          log.info("admin Secret {}/{} created", ns, name);
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          // Created meanwhile (another pass, a user): use that one.
          secret = client.secrets().inNamespace(ns).withName(name).get();
        }
      }
      Optional<String> token = secret == null ? Optional.empty() : DesiredAdminSecret.token(secret);
      if (token.isEmpty()) {
        return new Outcome(
            AdminToken.NONE,
            Optional.of(
                "admin Secret "
                    + ns
                    + "/"
                    + name
                    + " has no usable token key (delete it: the operator creates a new one)"));
      }
      return new Outcome(AdminToken.of(token.get()), Optional.empty());
    } catch (KubernetesClientException e) {
      return new Outcome(
          AdminToken.NONE,
          Optional.of(
              "cannot read or create admin Secret " + ns + "/" + name + ": " + e.getMessage()));
    }
  }
}
