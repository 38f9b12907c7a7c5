package io.dqlite.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeInventoryTest {

  @ParameterizedTest(name = "ready={0} cordoned={1} taint={2}: schedulable={3}")
  @CsvSource({
    "True, false, , true",
    "False, false, , false",
    "Unknown, false, , false",
    "True, true, , false",
    "True, false, NoSchedule, false",
    "True, false, NoExecute, false",
    "True, false, PreferNoSchedule, true",
  })
  void schedulable(String ready, boolean cordoned, String taint, boolean expected) {
    NodeBuilder node =
        new NodeBuilder()
            .withNewMetadata()
            .withName("n1")
            .addToLabels("topology.kubernetes.io/zone", "zone-a")
            .endMetadata()
            .withNewSpec()
            .withUnschedulable(cordoned)
            .endSpec()
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready)
            .endCondition()
            .endStatus();
    if (taint != null) {
      node.editSpec().addNewTaint().withKey("k").withEffect(taint).endTaint().endSpec();
    }
    Node n = node.build();
    var facts = NodeInventory.facts(n);
    assertThat(facts.schedulable()).isEqualTo(expected);
    assertThat(facts.labels()).containsEntry("topology.kubernetes.io/zone", "zone-a");
  }
}
