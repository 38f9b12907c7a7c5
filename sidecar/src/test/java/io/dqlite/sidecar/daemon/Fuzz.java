package io.dqlite.sidecar.daemon;

import io.dqlite.client.protocol.ClientRequest;
import io.dqlite.client.protocol.ClusterRequest;
import io.dqlite.client.protocol.DescribeRequest;
import io.dqlite.client.protocol.DumpRequest;
import io.dqlite.client.protocol.ExecRequest;
import io.dqlite.client.protocol.ExecSqlRequest;
import io.dqlite.client.protocol.FinalizeRequest;
import io.dqlite.client.protocol.InterruptRequest;
import io.dqlite.client.protocol.LeaderRequest;
import io.dqlite.client.protocol.OpenRequest;
import io.dqlite.client.protocol.PrepareRequest;
import io.dqlite.client.protocol.QueryRequest;
import io.dqlite.client.protocol.QuerySqlRequest;
import io.dqlite.client.protocol.Request;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Request sequences a client could send, and the ways to spoil them, for the live fuzz test. */
final class Fuzz {

  private Fuzz() {}

  /** A handshake-less sequence: client, open, then a few statements on table f. */
  static byte[] validSequence(Random r) {
    List<Request> rs = new ArrayList<>();
    rs.add(new ClientRequest(0));
    rs.add(new OpenRequest("fuzz", 0, "volatile"));
    int steps = 1 + r.nextInt(6);
    int prepared = 0;
    for (int i = 0; i < steps; i++) {
      switch (r.nextInt(11)) {
        case 0 -> rs.add(new PrepareRequest(0, "SELECT n, s FROM f WHERE n > ?"));
        case 1 -> rs.add(new QueryRequest(0, r.nextInt(prepared + 1), List.of(r.nextLong()), 0));
        case 2 -> rs.add(new ExecRequest(0, r.nextInt(prepared + 1), List.of(), 0));
        case 3 -> rs.add(new FinalizeRequest(0, r.nextInt(prepared + 1)));
        case 4 ->
            rs.add(
                new ExecSqlRequest(
                    0, "INSERT INTO f VALUES (?, ?)", List.of(r.nextInt(1000), "v" + r.nextInt())));
        case 5 ->
            rs.add(new QuerySqlRequest(0, "SELECT count(*) FROM f WHERE s > ?", List.of("v"), 0));
        case 6 -> rs.add(new ClusterRequest(1));
        case 7 -> rs.add(new DescribeRequest(0));
        case 8 -> rs.add(new DumpRequest("fuzz"));
        case 9 -> rs.add(new InterruptRequest(0));
        default -> rs.add(new LeaderRequest());
      }
      if (rs.get(rs.size() - 1) instanceof PrepareRequest) {
        prepared++;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Request q : rs) {
      out.writeBytes(q.encode());
    }
    return out.toByteArray();
  }

  /** One to three spoilings: a bit flipped, bytes inserted, the tail cut, a header's count lied. */
  static byte[] mutate(byte[] b, Random r) {
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n && b.length > 0; i++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(4)) {
        case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> {
          byte[] extra = new byte[1 + r.nextInt(16)];
          r.nextBytes(extra);
          byte[] out = new byte[b.length + extra.length];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(extra, 0, out, at, extra.length);
          System.arraycopy(b, at, out, at + extra.length, b.length - at);
          b = out;
        }
        case 2 -> b = java.util.Arrays.copyOf(b, at);
        default -> {
          // Headers start at multiples of 8 here: lie in one of them.
          int h = (at / 8) * 8;
          long words = r.nextBoolean() ? r.nextInt(64) : (r.nextLong() & 0xffff_ffffL);
          for (int k = 0; k < 4 && h + k < b.length; k++) {
            b[h + k] = (byte) (words >>> (8 * k));
          }
        }
      }
    }
    return b;
  }
}
