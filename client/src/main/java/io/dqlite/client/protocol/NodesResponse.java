package io.dqlite.client.protocol;

import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to a cluster request. Body: uint64 count, then per node uint64 id, text address and,
 * in format 1 only, uint64 role.
 *
 * @param format {@link #FORMAT_V0} (no roles; decoded as voters) or {@link #FORMAT_V1}
 */
public record NodesResponse(int format, List<NodeInfo> nodes) implements Response {

  /** Cluster format 0: id and address. */
  public static final int FORMAT_V0 = 0;

  /** Cluster format 1: id, address and role. */
  public static final int FORMAT_V1 = 1;

  public NodesResponse {
    nodes = List.copyOf(nodes);
  }

  @Override
  public ResponseType type() {
    return ResponseType.NODES;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(nodes.size());
    for (NodeInfo node : nodes) {
      w.putUint64(node.id()).putText(node.address());
      if (format != FORMAT_V0) {
        w.putUint64(node.role().code());
      }
    }
  }

  static NodesResponse decode(BodyReader r, int format) throws ProtocolException {
    long n = r.getUint64();
    // Each node takes at least two words: a bound that stops garbage from allocating.
    if (n < 0 || n > r.remaining() / 16) {
      throw new ProtocolException(
          "nodes response counts "
              + Long.toUnsignedString(n)
              + " nodes in "
              + r.remaining()
              + " bytes",
          null);
    }
    List<NodeInfo> nodes = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      long id = r.getUint64();
      String address = r.getText("address of node " + (i + 1));
      NodeRole role = NodeRole.VOTER;
      if (format != FORMAT_V0) {
        long code = r.getUint64();
        try {
          role = NodeRole.fromCode(code);
        } catch (IllegalArgumentException e) {
          throw new ProtocolException("nodes response: " + e.getMessage(), null);
        }
      }
      nodes.add(new NodeInfo(id, address, role));
    }
    return new NodesResponse(format, nodes);
  }
}
