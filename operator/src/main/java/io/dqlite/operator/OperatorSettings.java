package io.dqlite.operator;

import io.dqlite.operator.dependents.ClusterNames;

/** The operator's own settings, from its environment; every default is here. */
public final class OperatorSettings {

  /** The cluster's DNS domain; pod addresses end in {@code .svc.<domain>}. */
  public static final String ENV_CLUSTER_DOMAIN = "DQLITE_OPERATOR_CLUSTER_DOMAIN";

  private OperatorSettings() {}

  /** {@code DQLITE_OPERATOR_CLUSTER_DOMAIN}, default {@code cluster.local}. */
  public static String clusterDomain() {
    String domain = System.getenv(ENV_CLUSTER_DOMAIN);
    return domain == null || domain.isBlank() ? ClusterNames.DEFAULT_CLUSTER_DOMAIN : domain;
  }
}
