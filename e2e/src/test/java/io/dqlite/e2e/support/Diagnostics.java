package io.dqlite.e2e.support;

import io.dqlite.localkube.pods.PodRuntime;
import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** What is printed after a failed test, for the namespace it ran in. */
public final class Diagnostics {

  private static final int POD_LOG_LINES = 60;
  private static final int OPERATOR_LOG_LINES = 120;

  private Diagnostics() {}

  public static void dump(E2eEnvironment env, String namespace) {
    StringBuilder out = new StringBuilder();
    out.append("\n===== E2E diagnostics for namespace ").append(namespace).append(" =====\n");
    try {
      KubernetesClient client = env.client();
      for (DqliteCluster cr :
          client.resources(DqliteCluster.class).inNamespace(namespace).list().getItems()) {
        out.append("--- DqliteCluster ")
            .append(cr.getMetadata().getName())
            .append(" (generation ")
            .append(cr.getMetadata().getGeneration())
            .append(")\n")
            .append(client.getKubernetesSerialization().asYaml(cr.getStatus()))
            .append('\n');
      }
      for (StatefulSet sts :
          client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
        out.append("--- StatefulSet ")
            .append(sts.getMetadata().getName())
            .append(": replicas ")
            .append(sts.getSpec().getReplicas())
            .append(", status ")
            .append(client.getKubernetesSerialization().asJson(sts.getStatus()))
            .append('\n');
      }
      List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
      for (Pod pod : pods) {
        out.append("--- pod ")
            .append(pod.getMetadata().getName())
            .append(" uid ")
            .append(pod.getMetadata().getUid())
            .append(" node ")
            .append(pod.getSpec().getNodeName())
            .append(" ip ")
            .append(pod.getStatus().getPodIP())
            .append(" phase ")
            .append(pod.getStatus().getPhase())
            .append('\n');
        if (pod.getStatus().getContainerStatuses() != null) {
          for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
            out.append("    container ")
                .append(cs.getName())
                .append(" ready ")
                .append(cs.getReady())
                .append(" restarts ")
                .append(cs.getRestartCount())
                .append(" state ")
                .append(client.getKubernetesSerialization().asJson(cs.getState()))
                .append('\n');
            Path dir =
                PodRuntime.logDir(
                    env.agentRoot(),
                    namespace,
                    pod.getMetadata().getName(),
                    pod.getMetadata().getUid(),
                    cs.getName());
            int restarts = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
            if (restarts > 0) {
              out.append("    --- previous log (")
                  .append(restarts - 1)
                  .append(".log)\n")
                  .append(indent(Logs.tail(dir.resolve((restarts - 1) + ".log"), POD_LOG_LINES)));
            }
            out.append("    --- log (")
                .append(restarts)
                .append(".log)\n")
                .append(indent(Logs.tail(dir.resolve(restarts + ".log"), POD_LOG_LINES)));
          }
        }
      }
      List<Event> events = client.v1().events().inNamespace(namespace).list().getItems();
      events.sort(
          Comparator.comparing(
              e ->
                  String.valueOf(
                      e.getLastTimestamp() != null
                          ? e.getLastTimestamp()
                          : e.getEventTime() != null ? e.getEventTime().getTime() : "")));
      out.append("--- events (last 40)\n");
      for (Event e : events.subList(Math.max(0, events.size() - 40), events.size())) {
        out.append("    ")
            .append(e.getLastTimestamp())
            .append(' ')
            .append(e.getType())
            .append(' ')
            .append(e.getInvolvedObject().getKind())
            .append('/')
            .append(e.getInvolvedObject().getName())
            .append(' ')
            .append(e.getReason())
            .append(": ")
            .append(e.getMessage())
            .append('\n');
      }
    } catch (RuntimeException e) {
      out.append("(diagnostics failed: ").append(e).append(")\n");
    }
    out.append("--- operator log (last ")
        .append(OPERATOR_LOG_LINES)
        .append(" lines, ")
        .append(env.operator().log())
        .append(")\n")
        .append(indent(env.operator().tail(OPERATOR_LOG_LINES)));
    out.append("===== end of diagnostics for ").append(namespace).append(" =====\n");
    System.out.println(out);
  }

  private static String indent(String text) {
    return text.lines().map(l -> "      " + l).reduce("", (a, b) -> a + b + "\n");
  }
}
