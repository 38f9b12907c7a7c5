package io.dqlite.e2e;

import io.dqlite.e2e.support.E2eEnvironment;
import io.dqlite.e2e.support.E2eExtension;
import io.dqlite.e2e.support.TestNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link HelmChartE2E}'s scenario (install, upgrade, uninstall) with the values `make demo` uses:
 * one replica without leader election (the Recreate strategy, no Lease).
 */
@ExtendWith(E2eExtension.class)
class HelmChartDemoValuesE2E {

  @Test
  void installUpgradeAndUninstallWithoutLeaderElection(E2eEnvironment env, TestNamespace ns)
      throws Exception {
    HelmChartE2E.installUpgradeReconcileUninstall(env, ns, false);
  }
}
