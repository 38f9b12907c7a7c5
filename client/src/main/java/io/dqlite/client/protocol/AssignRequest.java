package io.dqlite.client.protocol;

import io.dqlite.client.model.NodeRole;

/**
 * Assigns a role to a node (leader only). Body: uint64 id, uint64 role. libdqlite still accepts the
 * older "promote" form without a role, meaning voter: that is a null {@code role} here.
 */
public record AssignRequest(long id, NodeRole role) implements Request {

  @Override
  public RequestType type() {
    return RequestType.ASSIGN;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(id);
    if (role != null) {
      w.putUint64(role.code());
    }
  }

  static AssignRequest decode(BodyReader r) throws ProtocolException {
    long id = r.getUint64();
    if (r.remaining() == 0) {
      return new AssignRequest(id, null);
    }
    long code = r.getUint64();
    try {
      return new AssignRequest(id, NodeRole.fromCode(code));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("assign request: " + e.getMessage(), null);
    }
  }
}
