package io.dqlite.sidecar.admin;

import io.dqlite.sidecar.api.AdminApi;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The admin API's access decisions, pure: whether a caller may use {@code /cluster} and {@code
 * /handover}, and whether a handover names this node. A refusal is a status and a reason.
 */
final class AdminGate {

  /** A refused call: the status and the reason the body carries. */
  record Refusal(int status, String reason) {}

  private AdminGate() {}

  /**
   * @param auth the configuration
   * @param token the token now in the file; empty when none is configured or it cannot be read
   * @param readError why the file could not be read, when it could not
   * @param authorization the request's {@code Authorization} header
   */
  static Optional<Refusal> access(
      AdminAuth auth,
      Optional<String> token,
      Optional<String> readError,
      Optional<String> authorization) {
    if (auth.open()) {
      return Optional.empty();
    }
    if (auth.tokenFile().isEmpty()) {
      return Optional.of(
          new Refusal(
              403,
              "this sidecar has no --admin-token-file, so it serves"
                  + " /cluster and /handover to nobody (give it the admin Secret's token file, or start it"
                  + " with --admin-auth=none to serve them unauthenticated)"));
    }
    if (token.isEmpty()) {
      return Optional.of(new Refusal(500, readError.orElse("no admin token")));
    }
    if (authorization.isEmpty()) {
      return Optional.of(
          new Refusal(
              401,
              "authentication required: send Authorization: Bearer"
                  + " <token>, the token key of the cluster's admin Secret (<cluster>-admin)"));
    }
    if (!AdminApi.carriesToken(authorization, token.get())) {
      return Optional.of(
          new Refusal(
              401,
              "wrong credentials: the bearer token is not this"
                  + " cluster's admin token (<cluster>-admin Secret, key token)"));
    }
    return Optional.empty();
  }

  /**
   * The ids of {@code POST /handover?exclude=<id>,<id>}: none without the parameter.
   *
   * @throws IllegalArgumentException naming the entry that is not a raft id
   */
  static java.util.Set<Long> handoverExclude(Optional<String> exclude) {
    java.util.Set<Long> ids = new java.util.TreeSet<>();
    if (exclude.isEmpty()) {
      return ids;
    }
    for (String entry : exclude.get().split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      OptionalLong id = AdminApi.parseId(entry);
      if (id.isEmpty()) {
        throw new IllegalArgumentException(
            AdminApi.EXCLUDE_PARAMETER
                + "="
                + exclude.get()
                + ": "
                + entry.strip()
                + " is not a raft id (0x-hex or decimal)");
      }
      ids.add(id.getAsLong());
    }
    return ids;
  }

  /** Whether {@code POST /handover?node=<id>} names {@code self}. */
  static Optional<Refusal> handoverTarget(long self, Optional<String> node) {
    if (node.isEmpty() || node.get().isBlank()) {
      return Optional.of(
          new Refusal(
              400,
              "name the node to hand over: POST /handover?node="
                  + AdminApi.hexId(self)
                  + " (the node's raft id, which /cluster lists)"));
    }
    OptionalLong id = AdminApi.parseId(node.get());
    if (id.isEmpty()) {
      return Optional.of(
          new Refusal(400, "node=" + node.get() + " is not a raft id (0x-hex or" + " decimal)"));
    }
    if (id.getAsLong() != self) {
      return Optional.of(
          new Refusal(
              409,
              "this sidecar runs node "
                  + AdminApi.hexId(self)
                  + ", not "
                  + AdminApi.hexId(id.getAsLong())
                  + ": nothing handed over (was the pod IP"
                  + " reused by another node?)"));
    }
    return Optional.empty();
  }
}
