package io.dqlite.packaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Multi-document YAML as Jackson trees; duplicate keys are errors, as for the API server. */
final class Yaml {

  static final ObjectMapper MAPPER =
      new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Yaml() {}

  /** Every non-empty document. */
  static List<JsonNode> documents(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("parse YAML: " + e.getMessage(), e);
    }
    return docs;
  }

  static List<JsonNode> documents(Path file) {
    try {
      return documents(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("read " + file, e);
    }
  }

  static Stream<JsonNode> ofKind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.path("kind").asText()));
  }

  static JsonNode one(List<JsonNode> docs, String kind, String name) {
    return find(docs, kind, name)
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " rendered"));
  }

  static Optional<JsonNode> find(List<JsonNode> docs, String kind, String name) {
    return ofKind(docs, kind)
        .filter(d -> name.equals(d.path("metadata").path("name").asText()))
        .findFirst();
  }

  /** "Kind/namespace/name" of an object, for messages. */
  static String id(JsonNode doc) {
    JsonNode meta = doc.path("metadata");
    String ns = meta.path("namespace").asText("");
    return doc.path("kind").asText()
        + "/"
        + (ns.isEmpty() ? "" : ns + "/")
        + meta.path("name").asText();
  }
}
