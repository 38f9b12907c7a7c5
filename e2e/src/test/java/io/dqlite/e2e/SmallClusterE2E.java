package io.dqlite.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.e2e.support.DqliteClusters;
import io.dqlite.e2e.support.E2eEnvironment;
import io.dqlite.e2e.support.E2eExtension;
import io.dqlite.e2e.support.TestNamespace;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.MemberStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code replicas: 2} becomes Ready: the role algorithm keeps voters odd, so the leader votes and
 * the other node is a spare, which is what the status expects.
 */
@ExtendWith(E2eExtension.class)
class SmallClusterE2E {

  @Test
  void twoReplicasAreReadyWithOneVoterAndASpare(E2eEnvironment env, TestNamespace ns) {
    KubernetesClient client = env.client();
    String name = "pair";
    DqliteClusters.create(client, ns.name(), Specs.quickRoles(name, 2));
    DqliteClusters.awaitReady(client, ns.name(), name, CreateClusterE2E.READY);

    DqliteCluster cr = DqliteClusters.get(client, ns.name(), name);
    assertThat(cr.getStatus().getVoters()).isEqualTo(1);
    assertThat(cr.getStatus().getMembers())
        .hasSize(2)
        .allSatisfy(m -> assertThat(m.getOnline()).isTrue())
        .extracting(MemberStatus::getRole)
        .containsExactlyInAnyOrder("voter", "spare");
  }
}
