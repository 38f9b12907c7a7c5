package io.dqlite.operator.dependents;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;

/** The two Services of a cluster. */
public final class DesiredServices {

  private DesiredServices() {}

  /**
   * The headless Service behind each pod's stable DNS name. Not-ready pods are published: a node
   * must resolve its peers (and be resolved) while it joins, before it can be ready. It also
   * carries the admin port, so the operator and Prometheus reach each pod's {@code /cluster},
   * {@code /handover} and {@code /metrics}, ready or not.
   */
  public static Service headless(DqliteCluster cr) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(ClusterNames.headlessService(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(ClusterNames.labels(cr))
        .endMetadata()
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(ClusterNames.selectorLabels(cr))
        .withPorts(raftPort(), adminPort())
        .endSpec()
        .build();
  }

  /**
   * The client Service: dqlite's port on ready pods only. A client dials it once, asks for the
   * leader, and then dials the leader by its pod DNS name, so one stable address is all a client
   * needs to be given. The admin port is not exposed here: it is per pod by nature.
   */
  public static Service client(DqliteCluster cr) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(ClusterNames.clientService(cr))
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(ClusterNames.labels(cr))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(ClusterNames.selectorLabels(cr))
        .withPorts(raftPort())
        .endSpec()
        .build();
  }

  private static ServicePort raftPort() {
    return new ServicePortBuilder()
        .withName(Sidecar.RAFT_PORT_NAME)
        .withPort(Sidecar.RAFT_PORT)
        .withTargetPort(new IntOrString(Sidecar.RAFT_PORT_NAME))
        .withProtocol("TCP")
        .build();
  }

  private static ServicePort adminPort() {
    return new ServicePortBuilder()
        .withName(Sidecar.ADMIN_PORT_NAME)
        .withPort(Sidecar.ADMIN_PORT)
        .withTargetPort(new IntOrString(Sidecar.ADMIN_PORT_NAME))
        .withProtocol("TCP")
        .build();
  }
}
