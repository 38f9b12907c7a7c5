package io.dqlite.operator.steps;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.StatefulSetDependent;
import io.dqlite.operator.dependents.TlsRevision;
import io.dqlite.operator.status.ClusterEvent;
import io.dqlite.operator.status.DegradedCheck.Issue;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's TLS Secret ({@code spec.tls.secretName}), read by name at every reconciliation (the
 * operator keeps no Secret informer and may only get Secrets by name): its {@link TlsRevision} goes
 * onto the pod template, so that a renewed certificate (cert-manager, a new CA) rolls the pods
 * through the rolling-update gate. The operator never writes it.
 *
 * <p>A Secret that is missing or lacks a key the sidecar reads is reported (Degraded {@link
 * #MISSING} or {@link #INCOMPLETE}) and its revision is not taken: pods restarted onto it could not
 * start, so the template keeps the revision it has.
 */
public final class UserTls {

  private static final Logger log = LoggerFactory.getLogger(UserTls.class);

  /** Degraded reason: the Secret does not exist. */
  public static final String MISSING = "TlsSecretMissing";

  /** Degraded reason: the Secret lacks tls.crt, tls.key or ca.crt. */
  public static final String INCOMPLETE = "TlsSecretIncomplete";

  /** Event reason when a changed Secret changes the pod template. */
  public static final String CHANGED = "TlsSecretChanged";

  private final KubernetesClient client;

  public UserTls(KubernetesClient client) {
    this.client = client;
  }

  public TlsRotator.Outcome reconcile(DqliteCluster cr, Optional<StatefulSet> statefulSet) {
    String ns = cr.getMetadata().getNamespace();
    String name = cr.getSpec().getTls().getSecretName();
    Secret secret;
    try {
      secret = client.secrets().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      String failure = "read TLS Secret " + ns + "/" + name + ": " + e.getMessage();
      log.warn("{}", failure);
      return new TlsRotator.Outcome(Optional.empty(), List.of(), Optional.of(failure));
    }
    return decide(
        ns,
        name,
        Optional.ofNullable(secret),
        statefulSet.flatMap(StatefulSetDependent::tlsRevision));
  }

  /**
   * What a read Secret means. Pure.
   *
   * @param secret the Secret, empty when it does not exist
   * @param current the revision the pod template carries, if any
   */
  static TlsRotator.Outcome decide(
      String ns, String name, Optional<Secret> secret, Optional<String> current) {
    String where = ns + "/" + name;
    if (secret.isEmpty()) {
      return problem(
          new Issue(
              MISSING,
              "TLS Secret "
                  + where
                  + " (spec.tls.secretName) does not exist: pods cannot start until it is created"
                  + " with tls.crt, tls.key and ca.crt"));
    }
    Map<String, String> data = secret.get().getData() == null ? Map.of() : secret.get().getData();
    List<String> missing = TlsRevision.missing(data);
    if (!missing.isEmpty()) {
      return problem(
          new Issue(
              INCOMPLETE,
              "TLS Secret "
                  + where
                  + " (spec.tls.secretName) has no "
                  + String.join(", ", missing)
                  + ": the pods keep the certificates they started with until it holds tls.crt,"
                  + " tls.key and ca.crt"));
    }
    String revision = TlsRevision.of(data);
    List<ClusterEvent> events = List.of();
    if (current.isPresent() && !current.get().equals(revision)) {
      String note =
          "TLS Secret "
              + where
              + " changed (revision "
              + current.get()
              + " -> "
              + revision
              + "): the pods restart onto it one at a time";
      log.info("{}", note);
      events = List.of(ClusterEvent.normal(CHANGED, "Roll", note));
    }
    return new TlsRotator.Outcome(Optional.of(revision), events, Optional.empty());
  }

  private static TlsRotator.Outcome problem(Issue issue) {
    return new TlsRotator.Outcome(
        Optional.empty(), List.of(), Optional.empty(), Optional.of(issue));
  }
}
