package io.dqlite.localkube.agent;

import io.dqlite.localkube.pods.ImageTable;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the node agent until SIGTERM (which stops every pod first):
 *
 * <pre>
 * java -jar dqlite-localkube.jar --kubeconfig F --root DIR --images images.yaml
 *     [--var NAME=VALUE]... [--nodes 3] [--zones zone-a,zone-b,zone-c] [--node-prefix node]
 *     [--kubelet-cert PEM --kubelet-key PEM --client-ca PEM]   (serves kubectl logs)
 * </pre>
 */
public final class Main {
  private static final String USAGE =
      "usage: --kubeconfig FILE --root DIR --images FILE"
          + " [--var NAME=VALUE]... [--nodes N] [--zones a,b,c] [--node-prefix P]"
          + " [--kubelet-cert PEM --kubelet-key PEM --client-ca PEM]";

  private Main() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    Map<String, String> vars = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println(USAGE);
        return;
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        fail("unexpected argument " + a);
      }
      String value = args[++i];
      if (a.equals("--var")) {
        int eq = value.indexOf('=');
        if (eq <= 0) {
          fail("--var wants NAME=VALUE, not " + value);
        }
        vars.put(value.substring(0, eq), value.substring(eq + 1));
      } else {
        opts.put(a.substring(2), value);
      }
    }
    for (String required : List.of("kubeconfig", "root", "images")) {
      if (!opts.containsKey(required)) {
        fail("--" + required + " is required");
      }
    }
    ImageTable images = ImageTable.load(Path.of(opts.get("images")), vars);
    List<String> zones =
        new ArrayList<>(List.of(opts.getOrDefault("zones", "zone-a,zone-b,zone-c").split(",")));
    List<NodeSpec> nodes =
        NodeSpec.of(
            opts.getOrDefault("node-prefix", "node"),
            Integer.parseInt(opts.getOrDefault("nodes", "3")),
            zones);
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(new File(opts.get("kubeconfig"))))
            .build();
    NodeAgent.Builder builder =
        NodeAgent.builder(client, Path.of(opts.get("root")), images).nodes(nodes);
    if (opts.containsKey("kubelet-cert")) {
      builder.kubeletApi(
          Path.of(opts.get("kubelet-cert")),
          Path.of(opts.get("kubelet-key")),
          Path.of(opts.get("client-ca")));
    }
    NodeAgent agent = builder.build().start();
    // The agent's own shutdown hook stops the pods on SIGTERM; the client closes after it.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  client.close();
                },
                "localkube-agent-main-shutdown"));
    new CountDownLatch(1).await();
  }

  private static void fail(String message) {
    System.err.println("node agent: " + message + "\n" + USAGE);
    System.exit(2);
  }
}
