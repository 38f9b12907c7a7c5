package io.dqlite.operator.kube;

import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.status.ClusterEvent;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events through {@code events.k8s.io/v1}, which {@code kubectl describe} and {@code kubectl
 * events} show alongside core/v1 ones. Reporting controller {@link #CONTROLLER}; the instance is
 * the operator pod's name.
 */
public final class KubernetesEventRecorder implements EventRecorder {

  private static final Logger log = LoggerFactory.getLogger(KubernetesEventRecorder.class);

  public static final String CONTROLLER = "dqlite.io/dqlite-operator";

  /** The API server rejects notes above 1 kB. */
  static final int MAX_NOTE = 1024;

  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final KubernetesClient client;
  private final String instance;
  private final Clock clock;

  public KubernetesEventRecorder(KubernetesClient client, String instance, Clock clock) {
    this.client = client;
    this.instance = instance;
    this.clock = clock;
  }

  @Override
  public void record(DqliteCluster cr, ClusterEvent e) {
    Instant now = clock.instant();
    String name =
        cr.getMetadata().getName()
            + "."
            + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano())
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    Event event = build(cr, e, name, instance, MICRO_TIME.format(now));
    try {
      client.resource(event).create();
      log.info(
          "event {} on {}/{}: {}",
          e.reason(),
          cr.getMetadata().getNamespace(),
          cr.getMetadata().getName(),
          e.note());
    } catch (KubernetesClientException ex) {
      log.warn(
          "record event {} on {}/{}: {}",
          e.reason(),
          cr.getMetadata().getNamespace(),
          cr.getMetadata().getName(),
          ex.getMessage());
    }
  }

  /**
   * The Event, named as client-go names them ({@code <object>.<hex time>}, here with a random
   * suffix): events.k8s.io validates a generateName as a whole name, so {@code <object>.} is
   * refused.
   */
  static Event build(
      DqliteCluster cr, ClusterEvent e, String name, String instance, String eventTime) {
    String note = e.note() == null ? "" : e.note();
    if (note.length() > MAX_NOTE) {
      note = note.substring(0, MAX_NOTE - 1) + "…";
    }
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(cr.getMetadata().getNamespace())
        .endMetadata()
        .withRegarding(
            new ObjectReferenceBuilder()
                .withApiVersion(cr.getApiVersion())
                .withKind(cr.getKind())
                .withName(cr.getMetadata().getName())
                .withNamespace(cr.getMetadata().getNamespace())
                .withUid(cr.getMetadata().getUid())
                .withResourceVersion(cr.getMetadata().getResourceVersion())
                .build())
        .withType(e.warning() ? "Warning" : "Normal")
        .withReason(e.reason())
        .withAction(e.action())
        .withNote(note)
        .withEventTime(new MicroTime(eventTime))
        .withReportingController(CONTROLLER)
        .withReportingInstance(instance)
        .build();
  }
}
