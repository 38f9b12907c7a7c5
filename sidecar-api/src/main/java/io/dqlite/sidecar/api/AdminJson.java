package io.dqlite.sidecar.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;

/**
 * The admin API's JSON, written by the sidecar and read by the operator and the tests with the same
 * records: {@link SidecarView} for {@code GET /cluster}, {@link HandoverAnswer} for {@code POST
 * /handover} and for refusals. Readers ignore fields they do not know.
 */
public final class AdminJson {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private AdminJson() {}

  /** {@code body} as JSON text (indented, as the sidecar answers). */
  public static String write(Object body) throws JsonProcessingException {
    return JSON.writeValueAsString(body);
  }

  /** A {@code /cluster} answer. */
  public static SidecarView readCluster(String body) throws IOException {
    return JSON.readValue(body, SidecarView.class);
  }

  /** A {@code /handover} answer, or any refusal's body. */
  public static HandoverAnswer readHandover(String body) throws IOException {
    return JSON.readValue(body, HandoverAnswer.class);
  }
}
