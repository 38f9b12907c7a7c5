package io.dqlite.client.protocol;

/**
 * A request message. Each type is a small immutable record that encodes its body and decodes it
 * back byte for byte, so a proxy can read a client's requests and tests can check golden bytes.
 */
public sealed interface Request
    permits LeaderRequest,
        ClientRequest,
        HeartbeatRequest,
        OpenRequest,
        PrepareRequest,
        ExecRequest,
        QueryRequest,
        FinalizeRequest,
        ExecSqlRequest,
        QuerySqlRequest,
        InterruptRequest,
        ConnectRequest,
        AddRequest,
        AssignRequest,
        RemoveRequest,
        DumpRequest,
        ClusterRequest,
        TransferRequest,
        DescribeRequest,
        WeightRequest {

  RequestType type();

  /** The schema byte of the header; 0 unless a record says otherwise. */
  default int schema() {
    return 0;
  }

  /** Appends the body (word-aligned) to {@code w}. */
  void encodeBody(BodyWriter w);

  /** The whole message: header and body. */
  default byte[] encode() {
    return Messages.frame(type().code(), schema(), this::encodeBody);
  }

  /**
   * Decodes a request body. Its text is not validated as UTF-8, as libdqlite does not: a proxy must
   * not refuse what a node accepts.
   *
   * @throws ProtocolException for an unknown type or a malformed body
   */
  static Request decode(MessageHeader header, byte[] body) throws ProtocolException {
    BodyReader r = BodyReader.lenient(body); // a node takes any text bytes; see BodyReader
    int schema = header.schema();
    return switch (RequestType.fromCode(header.type())) {
      case LEADER -> LeaderRequest.decode(r);
      case CLIENT -> ClientRequest.decode(r);
      case HEARTBEAT -> HeartbeatRequest.decode(r);
      case OPEN -> OpenRequest.decode(r);
      case PREPARE -> PrepareRequest.decode(r);
      case EXEC -> ExecRequest.decode(r, schema);
      case QUERY -> QueryRequest.decode(r, schema);
      case FINALIZE -> FinalizeRequest.decode(r);
      case EXEC_SQL -> ExecSqlRequest.decode(r, schema);
      case QUERY_SQL -> QuerySqlRequest.decode(r, schema);
      case INTERRUPT -> InterruptRequest.decode(r);
      case CONNECT -> ConnectRequest.decode(r);
      case ADD -> AddRequest.decode(r);
      case ASSIGN -> AssignRequest.decode(r);
      case REMOVE -> RemoveRequest.decode(r);
      case DUMP -> DumpRequest.decode(r);
      case CLUSTER -> ClusterRequest.decode(r);
      case TRANSFER -> TransferRequest.decode(r);
      case DESCRIBE -> DescribeRequest.decode(r);
      case WEIGHT -> WeightRequest.decode(r);
    };
  }
}
