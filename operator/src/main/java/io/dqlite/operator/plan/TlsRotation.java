package io.dqlite.operator.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When generated TLS certificates are renewed, and how a CA is replaced without a moment in which
 * two running nodes do not trust each other. Pure.
 *
 * <p>A certificate is due once less than a third of its lifetime is left. Every pod uses the same
 * node certificate, so a renewal is a new Secret and a rolling restart of the pods onto it (the
 * sidecar reads its files at start). While it rolls, old and new pods must accept each other:
 *
 * <ul>
 *   <li>A node certificate signed by the same CA is trusted by every pod: {@link RenewNode} needs
 *       no ordering and is done at once.
 *   <li>A new CA goes in three steps, each only once the pods have restarted onto the previous one:
 *       {@link AddAuthority} (the new CA is trusted beside the old one; the node certificate is
 *       still the old CA's), {@link SwitchNode} (the node certificate is issued by the new CA,
 *       which every pod now trusts), {@link RetireAuthorities} (only the new CA is trusted). A new
 *       CA is made when the current one is due, or when the node certificate is due and the
 *       operator has no key to sign with (a Secret from an operator version that did not keep the
 *       key).
 * </ul>
 */
public final class TlsRotation {

  private TlsRotation() {}

  /**
   * A certificate as the decision sees it.
   *
   * @param id its fingerprint
   */
  public record Cert(String id, Instant notBefore, Instant notAfter) {
    /** Less than a third of its lifetime is left at {@code now}. */
    public boolean due(Instant now) {
      Duration life = Duration.between(notBefore, notAfter);
      return !now.isBefore(notAfter.minus(life.dividedBy(3)));
    }
  }

  /**
   * What the Secrets and the pods show.
   *
   * @param node the node certificate
   * @param nodeIssuer the id of the trusted CA that signed it, empty if none did
   * @param trusted the CAs the pods are given to trust, newest first
   * @param signer the CA whose key the operator holds, if any
   * @param rolledOut every pod runs with the current node Secret
   */
  public record Facts(
      Cert node,
      Optional<String> nodeIssuer,
      List<Cert> trusted,
      Optional<Cert> signer,
      boolean rolledOut) {
    public Facts {
      trusted = List.copyOf(trusted);
    }

    boolean trusts(Cert ca) {
      return trusted.stream().anyMatch(t -> t.id().equals(ca.id()));
    }
  }

  /** What to do with the Secrets now. */
  public sealed interface Action {
    String reason();
  }

  /** Nothing is due. */
  public record Keep(String reason) implements Action {}

  /** A CA change is under way; the pods have not all restarted onto its last step yet. */
  public record Wait(String reason) implements Action {}

  /** A new node certificate from the signer; trust unchanged. */
  public record RenewNode(String reason) implements Action {}

  /** A new CA: it becomes the signer and is trusted before the old ones. */
  public record AddAuthority(String reason) implements Action {}

  /** A new node certificate from the signer, which every pod trusts by now. */
  public record SwitchNode(String reason) implements Action {}

  /** Trust only the CA that signed the node certificate. */
  public record RetireAuthorities(String reason) implements Action {}

  public static Action decide(Facts f, Instant now) {
    Optional<Cert> signer = f.signer();
    boolean signerTrusted = signer.isPresent() && f.trusts(signer.get());
    boolean nodeFromSigner = signerTrusted && f.nodeIssuer().equals(signer.map(Cert::id));
    if (signerTrusted && !nodeFromSigner) {
      return f.rolledOut()
          ? new SwitchNode("every pod trusts the new CA: issuing the node certificate from it")
          : new Wait("the new CA is being distributed to the pods");
    }
    if (nodeFromSigner && f.trusted().size() > 1) {
      return f.rolledOut()
          ? new RetireAuthorities("every pod presents the new CA's certificate: old CAs go")
          : new Wait("the pods are restarting onto the new CA's node certificate");
    }
    if (signer.isPresent() && signer.get().due(now)) {
      return new AddAuthority("the CA expires at " + signer.get().notAfter());
    }
    if (f.node().due(now)) {
      return nodeFromSigner
          ? new RenewNode("the node certificate expires at " + f.node().notAfter())
          : new AddAuthority(
              "the node certificate expires at "
                  + f.node().notAfter()
                  + " and no key of the CA that signed it is kept");
    }
    return new Keep("the node certificate is valid until " + f.node().notAfter());
  }
}
