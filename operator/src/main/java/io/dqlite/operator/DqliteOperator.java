package io.dqlite.operator;

import io.javaoperatorsdk.operator.Operator;

/** The operator's entry point: one controller, for DqliteCluster. */
public final class DqliteOperator {

  private DqliteOperator() {}

  public static void main(String[] args) {
    Operator operator = new Operator();
    operator.register(new DqliteClusterReconciler());
    operator.installShutdownHook(java.time.Duration.ofSeconds(30));
    operator.start();
  }
}
