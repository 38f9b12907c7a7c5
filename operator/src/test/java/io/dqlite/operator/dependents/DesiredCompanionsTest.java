package io.dqlite.operator.dependents;

import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

/** The Services, PodDisruptionBudget and ServiceAccount beside the StatefulSet. */
class DesiredCompanionsTest {

  private final DqliteCluster cr = TestClusters.cluster();

  @Test
  void headlessServicePublishesEveryPodWithRaftAndAdminPorts() {
    Service svc = DesiredServices.headless(cr);
    assertThat(svc.getMetadata().getName()).isEqualTo(ClusterNames.headlessService(cr));
    assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(svc.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(svc.getSpec().getSelector()).isEqualTo(ClusterNames.selectorLabels(cr));
    assertThat(svc.getSpec().getPorts())
        .extracting(ServicePort::getName, ServicePort::getPort)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dqlite", 9001),
            org.assertj.core.groups.Tuple.tuple("admin", 8081));
  }

  @Test
  void clientServiceExposesOnlyDqliteOnReadyPods() {
    Service svc = DesiredServices.client(cr);
    assertThat(svc.getMetadata().getName()).isEqualTo(ClusterNames.clientService(cr));
    assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(svc.getSpec().getPublishNotReadyAddresses()).isNull();
    assertThat(svc.getSpec().getSelector()).isEqualTo(ClusterNames.selectorLabels(cr));
    assertThat(svc.getSpec().getPorts())
        .extracting(ServicePort::getName, ServicePort::getPort)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("dqlite", 9001));
  }

  @Test
  void podDisruptionBudgetAllowsOnePodDown() {
    PodDisruptionBudget pdb = DesiredPodDisruptionBudget.build(cr);
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow");
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .isEqualTo(ClusterNames.selectorLabels(cr));
  }

  @Test
  void serviceAccountMountsNoToken() {
    var sa = DesiredServiceAccount.build(cr);
    assertThat(sa.getMetadata().getName()).isEqualTo(ClusterNames.serviceAccount(cr));
    assertThat(sa.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void everyObjectCarriesTheClusterLabels() {
    assertThat(DesiredServices.headless(cr).getMetadata().getLabels())
        .isEqualTo(ClusterNames.labels(cr));
    assertThat(DesiredServices.client(cr).getMetadata().getLabels())
        .isEqualTo(ClusterNames.labels(cr));
    assertThat(DesiredPodDisruptionBudget.build(cr).getMetadata().getLabels())
        .isEqualTo(ClusterNames.labels(cr));
    assertThat(DesiredServiceAccount.build(cr).getMetadata().getLabels())
        .isEqualTo(ClusterNames.labels(cr));
    assertThat(DesiredJoinConfigMap.build(cr, TestClusters.DOMAIN).getMetadata().getLabels())
        .isEqualTo(ClusterNames.labels(cr));
  }
}
