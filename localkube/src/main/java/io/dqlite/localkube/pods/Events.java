package io.dqlite.localkube.pods;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the kubelet's pod events (Started, Killing, Unhealthy, Failed, hook failures); never
 * throws.
 */
public final class Events {
  private static final Logger LOG = LoggerFactory.getLogger(Events.class);
  private final KubernetesClient client;

  public Events(KubernetesClient client) {
    this.client = client;
  }

  /** Records an event on the pod; {@code type} is Normal or Warning. */
  public void record(Pod pod, String node, String type, String reason, String message) {
    LOG.info(
        "{}/{} {} {}: {}",
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        type,
        reason,
        message);
    String now = PodStatusBuilder.time(Instant.now());
    try {
      client
          .v1()
          .events()
          .inNamespace(pod.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      pod.getMetadata().getName()
                          + "."
                          + UUID.randomUUID().toString().substring(0, 8))
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("v1")
                  .withKind("Pod")
                  .withName(pod.getMetadata().getName())
                  .withNamespace(pod.getMetadata().getNamespace())
                  .withUid(pod.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withNewSource()
                  .withComponent("kubelet")
                  .withHost(node)
                  .endSource()
                  .withReportingComponent("kubelet")
                  .withReportingInstance(node)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .build())
          .create();
    } catch (RuntimeException e) {
      LOG.debug(
          "event {} for {} not recorded: {}", reason, pod.getMetadata().getName(), e.getMessage());
    }
  }
}
