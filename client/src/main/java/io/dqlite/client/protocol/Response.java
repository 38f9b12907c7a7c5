package io.dqlite.client.protocol;

/**
 * A response message; each type is a small immutable record that encodes and decodes its body byte
 * for byte.
 */
public sealed interface Response
    permits FailureResponse,
        NodeResponse,
        WelcomeResponse,
        NodesResponse,
        DbResponse,
        StmtResponse,
        ResultResponse,
        RowsResponse,
        EmptyResponse,
        FilesResponse,
        MetadataResponse {

  ResponseType type();

  /** Appends the body (word-aligned) to {@code w}. */
  void encodeBody(BodyWriter w);

  /** The whole message: header and body. */
  default byte[] encode() {
    return Messages.frame(type().code(), 0, this::encodeBody);
  }

  /** Decodes a response, reading a NODES body in cluster format 1 (with roles). */
  static Response decode(MessageHeader header, byte[] body) throws ProtocolException {
    return decode(header, body, NodesResponse.FORMAT_V1);
  }

  /**
   * Decodes a response.
   *
   * @param clusterFormat the format the cluster request asked for, which a NODES body does not say
   * @throws ProtocolException for an unknown type or a malformed body
   */
  static Response decode(MessageHeader header, byte[] body, int clusterFormat)
      throws ProtocolException {
    BodyReader r = new BodyReader(body);
    return switch (ResponseType.fromCode(header.type())) {
      case FAILURE -> FailureResponse.decode(r);
      case NODE -> NodeResponse.decode(r);
      case WELCOME -> WelcomeResponse.decode(r);
      case NODES -> NodesResponse.decode(r, clusterFormat);
      case DB -> DbResponse.decode(r);
      case STMT -> StmtResponse.decode(r);
      case RESULT -> ResultResponse.decode(r);
      case ROWS -> RowsResponse.decode(r);
      case EMPTY -> EmptyResponse.decode(r);
      case FILES -> FilesResponse.decode(r);
      case METADATA -> MetadataResponse.decode(r);
    };
  }
}
