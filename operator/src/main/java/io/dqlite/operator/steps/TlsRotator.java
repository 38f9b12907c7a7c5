package io.dqlite.operator.steps;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.GeneratedTls;
import io.dqlite.operator.dependents.GeneratedTls.Material;
import io.dqlite.operator.dependents.StatefulSetDependent;
import io.dqlite.operator.dependents.TlsCertificates;
import io.dqlite.operator.dependents.TlsCertificates.Authority;
import io.dqlite.operator.dependents.TlsRevision;
import io.dqlite.operator.plan.Decision;
import io.dqlite.operator.plan.TlsRotation;
import io.dqlite.operator.status.ClusterEvent;
import io.dqlite.operator.status.DegradedCheck.Issue;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generated TLS of one cluster: creates the two Secrets ({@link GeneratedTls}) when missing, and
 * takes the step {@link TlsRotation} decides, writing by server-side apply with the cluster as
 * owner. Runs before the workflow applies the StatefulSet, whose pod template then carries the node
 * Secret's {@link #revision} so that a change rolls the pods.
 */
public final class TlsRotator {

  private static final Logger log = LoggerFactory.getLogger(TlsRotator.class);
  static final String FIELD_MANAGER = "dqlite-operator";

  private final KubernetesClient client;
  private final String clusterDomain;

  /**
   * @param revision the node Secret's revision after this pass; empty if it could not be read
   * @param events what was changed (a change makes the reconciler look again soon)
   * @param failure what went wrong, if anything
   * @param problem what is wrong with the Secret itself, for the Degraded condition (a user's
   *     Secret missing or incomplete)
   */
  public record Outcome(
      Optional<String> revision,
      List<ClusterEvent> events,
      Optional<String> failure,
      Optional<Issue> problem) {

    public Outcome(Optional<String> revision, List<ClusterEvent> events, Optional<String> failure) {
      this(revision, events, failure, Optional.empty());
    }

    /** Nothing to do: the cluster does not use TLS. */
    public static Outcome none() {
      return new Outcome(Optional.empty(), List.of(), Optional.empty());
    }
  }

  public TlsRotator(KubernetesClient client, String clusterDomain) {
    this.client = client;
    this.clusterDomain = clusterDomain;
  }

  public Outcome reconcile(
      DqliteCluster cr, Optional<StatefulSet> statefulSet, List<Pod> pods, Instant now) {
    String ns = cr.getMetadata().getNamespace();
    Optional<String> revision = Optional.empty();
    try {
      Secret tls = get(ns, ClusterNames.generatedTlsSecret(cr));
      Optional<Authority> signer =
          Optional.ofNullable(get(ns, ClusterNames.generatedTlsCaSecret(cr)))
              .flatMap(GeneratedTls::readCa);
      Optional<Material> current = Optional.ofNullable(tls).flatMap(GeneratedTls::readTls);
      if (tls != null) {
        revision = Optional.of(TlsRevision.of(tls));
      }
      if (current.isEmpty()) {
        // First pass, or the Secret was deleted or spoilt (deleting it is how a user asks for new
        // certificates): a CA that is still good is reused, so running pods keep trusting.
        Authority ca =
            signer
                .filter(a -> !cert(a.certificate()).due(now))
                .orElseGet(() -> write(cr, GeneratedTls.newAuthority(cr, now)));
        Material m = GeneratedTls.issue(cr, clusterDomain, ca, List.of(ca.certificate()), now);
        return changed(cr, m, "Create", "node Secret created", tls == null ? null : "replaced");
      }
      Material m = current.get();
      TlsRotation.Facts facts = facts(m, signer, rolledOut(cr, statefulSet, pods, revision.get()));
      TlsRotation.Action action = TlsRotation.decide(facts, now);
      if (action instanceof TlsRotation.RenewNode || action instanceof TlsRotation.SwitchNode) {
        String step = action instanceof TlsRotation.RenewNode ? "RenewNode" : "SwitchNode";
        Material renewed =
            GeneratedTls.issue(cr, clusterDomain, signer.orElseThrow(), m.trusted(), now);
        return changed(cr, renewed, step, action.reason(), null);
      }
      if (action instanceof TlsRotation.AddAuthority) {
        Authority ca = write(cr, GeneratedTls.newAuthority(cr, now));
        List<X509Certificate> trusted = new ArrayList<>();
        trusted.add(ca.certificate());
        trusted.addAll(m.trusted());
        return changed(cr, new Material(m.node(), trusted), "AddAuthority", action.reason(), null);
      }
      if (action instanceof TlsRotation.RetireAuthorities) {
        List<X509Certificate> kept =
            m.trusted().stream()
                .filter(ca -> TlsCertificates.signedBy(m.node().certificate(), ca))
                .toList();
        return changed(
            cr, new Material(m.node(), kept), "RetireAuthorities", action.reason(), null);
      }
      if (action instanceof TlsRotation.Wait) {
        log.debug("tls of {}/{}: {}", ns, cr.getMetadata().getName(), action.reason());
      }
      return new Outcome(revision, List.of(), Optional.empty());
    } catch (KubernetesClientException | IllegalStateException e) {
      String failure =
          "generated TLS of " + ns + "/" + cr.getMetadata().getName() + ": " + e.getMessage();
      // No Event of its own: the failure makes the cluster Degraded (StepFailed), which records a
      // Warning once, instead of one per retry.
      log.warn("{}", failure);
      return new Outcome(revision, List.of(), Optional.of(failure));
    }
  }

  static TlsRotation.Facts facts(Material m, Optional<Authority> signer, boolean rolledOut) {
    X509Certificate node = m.node().certificate();
    Optional<String> issuer =
        m.trusted().stream()
            .filter(ca -> TlsCertificates.signedBy(node, ca))
            .map(TlsCertificates::fingerprint)
            .findFirst();
    return new TlsRotation.Facts(
        cert(node),
        issuer,
        m.trusted().stream().map(TlsRotator::cert).toList(),
        signer.map(a -> cert(a.certificate())),
        rolledOut);
  }

  static TlsRotation.Cert cert(X509Certificate c) {
    return new TlsRotation.Cert(
        TlsCertificates.fingerprint(c), c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
  }

  /**
   * Every pod runs with the node Secret of {@code revision}: the StatefulSet's template carries it,
   * the StatefulSet controller has seen that template, and no pod is left on another revision.
   * Readiness does not matter: a pod that started has read the files.
   */
  public static boolean rolledOut(
      DqliteCluster cr, Optional<StatefulSet> statefulSet, List<Pod> pods, String revision) {
    if (statefulSet.isEmpty() || statefulSet.get().getStatus() == null) {
      return false;
    }
    StatefulSet sts = statefulSet.get();
    String updateRevision = sts.getStatus().getUpdateRevision();
    if (!StatefulSetDependent.tlsRevision(sts).equals(Optional.of(revision))
        || updateRevision == null
        || !Objects.equals(
            sts.getStatus().getObservedGeneration(), sts.getMetadata().getGeneration())) {
      return false;
    }
    return pods.stream()
        .filter(p -> ClusterNames.podOrdinal(cr, p.getMetadata().getName()).isPresent())
        .allMatch(
            p ->
                p.getMetadata().getLabels() != null
                    && updateRevision.equals(
                        p.getMetadata().getLabels().get(Decision.REVISION_LABEL)));
  }

  private Outcome changed(
      DqliteCluster cr, Material m, String action, String reason, String replaced) {
    Secret written = apply(cr, GeneratedTls.tlsSecret(cr, m));
    String note =
        ClusterNames.generatedTlsSecret(cr)
            + ": "
            + reason
            + (replaced == null ? "" : " (the old one was unreadable)")
            + "; node certificate valid until "
            + m.node().certificate().getNotAfter().toInstant();
    log.info(
        "tls of {}/{}: {} ({})",
        cr.getMetadata().getNamespace(),
        cr.getMetadata().getName(),
        action,
        note);
    List<ClusterEvent> events =
        "Create".equals(action)
            ? List.of()
            : List.of(ClusterEvent.normal("TlsRotated", action, note));
    return new Outcome(Optional.of(TlsRevision.of(written)), events, Optional.empty());
  }

  private Authority write(DqliteCluster cr, Authority ca) {
    apply(cr, GeneratedTls.caSecret(cr, ca));
    return ca;
  }

  private Secret apply(DqliteCluster cr, Secret secret) {
    secret.getMetadata().setOwnerReferences(List.of(ClusterNames.ownerReference(cr)));
    // Created plainly, changed by server-side apply (docs/operator.md).
    if (get(secret.getMetadata().getNamespace(), secret.getMetadata().getName()) == null) {
      return client.resource(secret).create();
    }
    return client.resource(secret).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  private Secret get(String ns, String name) {
    return client.secrets().inNamespace(ns).withName(name).get();
  }
}
