package io.dqlite.localkube.volumes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The {@link LocalProvisioner} on its own, for real kubelets ({@code localkube/real-node.sh}):
 *
 * <pre>
 * java -cp dqlite-localkube.jar io.dqlite.localkube.volumes.ProvisionerMain --kubeconfig F
 *     --root DIR --nodes node-a,node-b,node-c [--owner 10001]
 * </pre>
 *
 * Runs until SIGTERM. The volumes are {@code local} PersistentVolumes under {@code DIR/pv/}.
 */
public final class ProvisionerMain {
  private static final String USAGE =
      "usage: --kubeconfig FILE --root DIR --nodes a,b,c [--owner UID]";

  private ProvisionerMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        fail("unexpected argument " + args[i]);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    for (String required : List.of("kubeconfig", "root", "nodes")) {
      if (!opts.containsKey(required)) {
        fail("--" + required + " is required");
      }
    }
    OptionalInt owner =
        opts.containsKey("owner")
            ? OptionalInt.of(Integer.parseInt(opts.get("owner")))
            : OptionalInt.empty();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(new File(opts.get("kubeconfig"))))
            .build();
    LocalProvisioner provisioner =
        new LocalProvisioner(
            client, Path.of(opts.get("root")), Set.of(opts.get("nodes").split(",")), owner);
    var claims = client.persistentVolumeClaims().inAnyNamespace().inform();
    var volumes = client.persistentVolumes().inform();
    provisioner.start(claims, volumes);
    // A handler added to a running informer is handed every object it already holds.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  provisioner.close();
                  claims.close();
                  volumes.close();
                  client.close();
                },
                "localkube-provisioner-shutdown"));
    System.err.println("provisioner up: " + opts.get("nodes"));
    new CountDownLatch(1).await();
  }

  private static void fail(String message) {
    System.err.println("provisioner: " + message + "\n" + USAGE);
    System.exit(2);
  }
}
