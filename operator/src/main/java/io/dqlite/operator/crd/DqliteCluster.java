package io.dqlite.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A replicated SQLite database: a dqlite cluster of {@code spec.replicas} pods, each running the
 * dqlite sidecar, next to the user's own containers.
 *
 * <p>The CRD ({@code crds/dqliteclusters.dqlite.io-v1.yml}) is generated from this class and its
 * spec and status classes at build time.
 */
@Group(DqliteCluster.GROUP)
@Version(DqliteCluster.VERSION)
@ShortNames("dqc")
@AdditionalPrinterColumn(
    name = "Replicas",
    jsonPath = ".spec.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.readyReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Leader",
    jsonPath = ".status.leader",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Voters",
    jsonPath = ".status.voters",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "VoterTopology",
    jsonPath = ".status.conditions[?(@.type==\"VoterTopology\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class DqliteCluster extends CustomResource<DqliteClusterSpec, DqliteClusterStatus>
    implements Namespaced {

  public static final String GROUP = "dqlite.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected DqliteClusterSpec initSpec() {
    return new DqliteClusterSpec();
  }

  @Override
  protected DqliteClusterStatus initStatus() {
    return new DqliteClusterStatus();
  }
}
