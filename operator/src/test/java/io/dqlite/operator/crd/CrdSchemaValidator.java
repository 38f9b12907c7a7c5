package io.dqlite.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the API server's handling of a structural CRD schema that this CRD relies on, so unit
 * tests can check what a create or an update would be refused with: defaults (applied to the old
 * and the new object, as the API server does when reading them), {@code minimum}, {@code pattern},
 * {@code enum} and {@code x-kubernetes-validations} evaluated with CEL, transition rules (those
 * naming {@code oldSelf}) only where a value exists in both objects.
 */
final class CrdSchemaValidator {

  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final JSONSchemaProps root;

  CrdSchemaValidator(JSONSchemaProps root) {
    this.root = root;
  }

  /** The errors a create ({@code oldObject == null}) or an update would be refused with. */
  List<String> validate(ObjectNode newObject, ObjectNode oldObject) {
    applyDefaults(root, newObject);
    if (oldObject != null) {
      applyDefaults(root, oldObject);
    }
    List<String> errors = new ArrayList<>();
    validate(root, newObject, oldObject, "", errors);
    return errors;
  }

  private static void applyDefaults(JSONSchemaProps schema, JsonNode node) {
    if (!(node instanceof ObjectNode object) || schema.getProperties() == null) {
      return;
    }
    schema
        .getProperties()
        .forEach(
            (name, child) -> {
              if (!object.has(name) && child.getDefault() != null) {
                object.set(name, child.getDefault().deepCopy());
              }
              if (object.has(name)) {
                applyDefaults(child, object.get(name));
              }
            });
  }

  private static void validate(
      JSONSchemaProps schema, JsonNode value, JsonNode old, String path, List<String> errors) {
    if (value == null || value.isNull()) {
      return;
    }
    if (schema.getMinimum() != null && value.isNumber()) {
      if (value.asDouble() < schema.getMinimum()) {
        errors.add(
            path + ": should be greater than or equal to " + schema.getMinimum().longValue());
      }
    }
    if (schema.getPattern() != null && value.isTextual()) {
      if (!java.util.regex.Pattern.compile(schema.getPattern()).matcher(value.asText()).find()) {
        errors.add(path + ": should match '" + schema.getPattern() + "'");
      }
    }
    if (schema.getEnum() != null
        && !schema.getEnum().isEmpty()
        && !schema.getEnum().contains(value)) {
      errors.add(path + ": Unsupported value: " + value);
    }
    if (schema.getProperties() != null && value.isObject()) {
      for (Map.Entry<String, JSONSchemaProps> property : schema.getProperties().entrySet()) {
        String name = property.getKey();
        JsonNode oldChild = old == null ? null : old.get(name);
        String childPath = path.isEmpty() ? name : path + "." + name;
        validate(property.getValue(), value.get(name), oldChild, childPath, errors);
      }
    }
    if (schema.getXKubernetesValidations() != null) {
      for (ValidationRule rule : schema.getXKubernetesValidations()) {
        boolean transition = rule.getRule().contains("oldSelf");
        if (transition && (old == null || old.isNull())) {
          continue;
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("self", toCel(value));
        if (transition) {
          vars.put("oldSelf", toCel(old));
        }
        if (!Boolean.TRUE.equals(evaluate(rule.getRule(), vars))) {
          errors.add(path + ": " + rule.getMessage());
        }
      }
    }
  }

  /** Evaluates one CEL expression; a rule that does not compile fails the test loudly. */
  static Object evaluate(String expression, Map<String, Object> vars) {
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
      return RUNTIME.createProgram(ast).eval(vars);
    } catch (Exception e) {
      throw new AssertionError("CEL rule '" + expression + "' failed: " + e.getMessage(), e);
    }
  }

  private static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), toCel(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }
}
