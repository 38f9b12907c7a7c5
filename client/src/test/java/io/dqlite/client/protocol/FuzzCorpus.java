package io.dqlite.client.protocol;

import io.dqlite.client.model.DumpFile;
import io.dqlite.client.model.NodeInfo;
import io.dqlite.client.model.NodeRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Valid messages of every type, encoded by the codecs: the seeds the fuzzer mutates. */
final class FuzzCorpus {

  private FuzzCorpus() {}

  /** Parameter lists covering every wire type, for both tuple schemas. */
  private static final List<List<Object>> PARAMS =
      List.of(
          List.of(),
          List.of(1L),
          Arrays.asList(
              -7L,
              2.5,
              "text ü€",
              new byte[] {1, 2, 3},
              null,
              true,
              new TypedValue(ValueType.UNIXTIME, 1_700_000_000L),
              new TypedValue(ValueType.ISO8601, "2024-01-02 03:04:05+00:00")));

  /** One of each response, rows with every value type, nodes in both formats. */
  static List<Response> responses() {
    List<Response> out = new ArrayList<>();
    out.add(new FailureResponse(1, "no such table: x"));
    out.add(new FailureResponse(10250, "not leader"));
    out.add(new NodeResponse(0x2dc171858c3155beL, "127.0.0.1:9001"));
    out.add(new NodeResponse(0, ""));
    out.add(new WelcomeResponse(15000));
    out.add(
        new NodesResponse(
            NodesResponse.FORMAT_V1,
            List.of(
                new NodeInfo(1, "a:1", NodeRole.VOTER),
                new NodeInfo(2, "b.example:9001", NodeRole.STANDBY),
                new NodeInfo(3, "[::1]:3", NodeRole.SPARE))));
    out.add(
        new NodesResponse(
            NodesResponse.FORMAT_V0, List.of(new NodeInfo(1, "a:1", NodeRole.VOTER))));
    out.add(new DbResponse(0));
    out.add(new StmtResponse(0, 3, 2));
    out.add(new ResultResponse(42, 1));
    out.add(new EmptyResponse());
    out.add(new MetadataResponse(2, 7));
    out.add(
        new FilesResponse(
            List.of(
                new DumpFile("app", new byte[] {'S', 'Q', 'L', 'i', 't', 'e', 0, 1, 2}),
                new DumpFile("app-wal", new byte[0]))));
    out.add(rows(true));
    out.add(rows(false));
    out.add(
        new RowsResponse(
            List.of("n"),
            List.of(new Row(List.of(ValueType.NULL), Arrays.asList((Object) null))),
            false));
    return out;
  }

  private static RowsResponse rows(boolean more) {
    List<ValueType> types =
        List.of(
            ValueType.INTEGER,
            ValueType.FLOAT,
            ValueType.TEXT,
            ValueType.BLOB,
            ValueType.NULL,
            ValueType.UNIXTIME,
            ValueType.ISO8601,
            ValueType.BOOLEAN);
    List<Object> values =
        Arrays.asList(
            5L,
            1.25,
            "héllo",
            new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1},
            null,
            1_700_000_000L,
            "2024-01-02 03:04:05",
            1L);
    List<String> names = List.of("i", "f", "t", "b", "n", "u", "d", "bool");
    List<Row> rows = List.of(new Row(types, values), new Row(types, values));
    return new RowsResponse(names, rows, more);
  }

  /** One of each request, with parameters in both schemas where a request carries them. */
  static List<Request> requests() {
    List<Request> out = new ArrayList<>();
    out.add(new LeaderRequest());
    out.add(new ClientRequest(1));
    out.add(new HeartbeatRequest(123456789));
    out.add(new OpenRequest("app", 0, "volatile"));
    out.add(new PrepareRequest(0, "SELECT * FROM t WHERE a = ?"));
    for (int schema = 0; schema <= 1; schema++) {
      for (List<Object> params : PARAMS) {
        out.add(new ExecRequest(0, 1, params, schema));
        out.add(new QueryRequest(0, 1, params, schema));
        out.add(new ExecSqlRequest(0, "INSERT INTO t VALUES (?)", params, schema));
        out.add(new QuerySqlRequest(0, "SELECT ?", params, schema));
      }
    }
    out.add(new FinalizeRequest(0, 1));
    out.add(new InterruptRequest(0));
    out.add(new ConnectRequest(2, "127.0.0.1:9002"));
    out.add(new AddRequest(2, "127.0.0.1:9002"));
    out.add(new AssignRequest(2, NodeRole.VOTER));
    out.add(new AssignRequest(2, null));
    out.add(new RemoveRequest(2));
    out.add(new DumpRequest("app"));
    out.add(new ClusterRequest(1));
    out.add(new TransferRequest(2));
    out.add(new DescribeRequest(0));
    out.add(new WeightRequest(5));
    return out;
  }
}
