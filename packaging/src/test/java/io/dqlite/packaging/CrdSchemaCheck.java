package io.dqlite.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The structural part of a CRD's openAPIV3Schema that needs no API server: types (including
 * int-or-string), unknown fields (rejected unless x-kubernetes-preserve-unknown-fields), enum,
 * pattern, minimum, required. CEL rules (x-kubernetes-validations) are left to the API server,
 * which the E2E dry run reaches.
 */
final class CrdSchemaCheck {

  private final JsonNode version;

  /** The schema of one served version of the CRD. */
  CrdSchemaCheck(JsonNode crd, String version) {
    JsonNode found = null;
    for (JsonNode v : crd.at("/spec/versions")) {
      if (v.path("name").asText().equals(version)) {
        found = v;
      }
    }
    if (found == null) {
      throw new IllegalArgumentException(Yaml.id(crd) + " serves no version " + version);
    }
    this.version = found.at("/schema/openAPIV3Schema");
  }

  /** Errors in the object's spec, each "path: problem"; empty when it conforms. */
  List<String> validateSpec(JsonNode object) {
    List<String> errors = new ArrayList<>();
    validate(version.at("/properties/spec"), object.path("spec"), "spec", errors);
    return errors;
  }

  private static void validate(JsonNode schema, JsonNode value, String path, List<String> errors) {
    if (value.isMissingNode()) {
      return;
    }
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      if (!value.isIntegralNumber() && !value.isTextual()) {
        errors.add(path + ": must be an integer or a string, got " + value.getNodeType());
      }
      return;
    }
    String type = schema.path("type").asText("");
    boolean typeOk =
        switch (type) {
          case "object" -> value.isObject();
          case "array" -> value.isArray();
          case "string" -> value.isTextual();
          case "integer" -> value.isIntegralNumber();
          case "number" -> value.isNumber();
          case "boolean" -> value.isBoolean();
          default -> true;
        };
    if (!typeOk) {
      errors.add(
          path + ": must be " + type + ", got " + value.getNodeType().toString().toLowerCase());
      return;
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode e : schema.path("enum")) {
        listed |= e.equals(value);
      }
      if (!listed) {
        errors.add(path + ": " + value + " is not one of " + schema.path("enum"));
      }
    }
    if (schema.has("pattern")
        && value.isTextual()
        && !Pattern.compile(schema.path("pattern").asText()).matcher(value.asText()).find()) {
      errors.add(path + ": " + value + " does not match " + schema.path("pattern").asText());
    }
    if (schema.has("minimum")
        && value.isNumber()
        && value.asDouble() < schema.path("minimum").asDouble()) {
      errors.add(path + ": " + value + " is below the minimum " + schema.path("minimum").asText());
    }
    if (value.isObject()) {
      for (JsonNode required : schema.path("required")) {
        if (!value.has(required.asText())) {
          errors.add(path + "." + required.asText() + ": required");
        }
      }
      boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
      JsonNode additional = schema.path("additionalProperties");
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        String childPath = path + "." + field.getKey();
        JsonNode child = schema.path("properties").path(field.getKey());
        if (!child.isMissingNode()) {
          validate(child, field.getValue(), childPath, errors);
        } else if (additional.isObject()) {
          validate(additional, field.getValue(), childPath, errors);
        } else if (!preserve) {
          errors.add(childPath + ": unknown field");
        }
      }
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        validate(schema.path("items"), value.get(i), path + "[" + i + "]", errors);
      }
    }
  }
}
