package io.dqlite.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** RBAC rules flattened for comparison. */
final class Rbac {

  private Rbac() {}

  /**
   * "apiGroup/resource" (core group empty) to the verbs granted on it without a resourceNames
   * restriction, merged over the rules; fails on a resource listed twice with different verbs.
   */
  static Map<String, List<String>> verbsByResource(JsonNode role) {
    Map<String, List<String>> verbs = new TreeMap<>();
    for (JsonNode rule : role.path("rules")) {
      if (rule.has("resourceNames")) {
        continue;
      }
      List<String> ruleVerbs = new ArrayList<>();
      rule.path("verbs").forEach(v -> ruleVerbs.add(v.asText()));
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          String key = group.asText() + "/" + resource.asText();
          if (verbs.containsKey(key)) {
            throw new AssertionError(Yaml.id(role) + " lists " + key + " twice");
          }
          verbs.put(key, List.copyOf(ruleVerbs));
        }
      }
    }
    return verbs;
  }
}
