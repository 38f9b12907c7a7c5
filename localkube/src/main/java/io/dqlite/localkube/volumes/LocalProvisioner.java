package io.dqlite.localkube.volumes;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local-path provisioner: the default StorageClass {@value #STORAGE_CLASS} binds on first
 * consumer; once the scheduler has picked a node for a claim, a {@code local} PersistentVolume is
 * created on a directory under {@code root/pv/} with node affinity to that node, so that the data
 * outlives the pod and a rescheduled pod lands where its data is. Released volumes are deleted with
 * their directory (reclaim policy Delete). Optionally each new directory is owned by a fixed uid
 * and gid (real kubelets, {@code localkube/real-node.sh}: the images' user 10001 writes there).
 */
public final class LocalProvisioner implements AutoCloseable {
  /** The StorageClass name, marked as the cluster default. */
  public static final String STORAGE_CLASS = "localkube";

  /** The provisioner name written on the StorageClass and the volumes. */
  public static final String PROVISIONER = "localkube.dqlite.io/local-path";

  private static final Logger LOG = LoggerFactory.getLogger(LocalProvisioner.class);
  private static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
  private static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

  private final KubernetesClient client;
  private final Path root;
  private final Set<String> nodes;
  private final OptionalInt owner;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "localkube-provisioner");
            t.setDaemon(true);
            return t;
          });

  public LocalProvisioner(KubernetesClient client, Path root, Set<String> nodes) {
    this(client, root, nodes, OptionalInt.empty());
  }

  /**
   * A provisioner whose new volume directories belong to uid and gid {@code owner} (needs root),
   * mode 0770.
   */
  public LocalProvisioner(
      KubernetesClient client, Path root, Set<String> nodes, OptionalInt owner) {
    this.client = client;
    this.root = root;
    this.nodes = Set.copyOf(nodes);
    this.owner = owner;
  }

  /** Creates the StorageClass (once) and follows claims and volumes. */
  public void start(
      SharedIndexInformer<PersistentVolumeClaim> claims,
      SharedIndexInformer<PersistentVolume> volumes) {
    client
        .storage()
        .v1()
        .storageClasses()
        .resource(
            new StorageClassBuilder()
                .withNewMetadata()
                .withName(STORAGE_CLASS)
                .withAnnotations(Map.of("storageclass.kubernetes.io/is-default-class", "true"))
                .endMetadata()
                .withProvisioner(PROVISIONER)
                .withVolumeBindingMode("WaitForFirstConsumer")
                .withReclaimPolicy("Delete")
                .build())
        .serverSideApply();
    claims.addEventHandler(handler(this::provision));
    volumes.addEventHandler(handler(this::reclaim));
  }

  private <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> action) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        executor.execute(() -> action.accept(obj));
      }

      @Override
      public void onUpdate(T oldObj, T obj) {
        executor.execute(() -> action.accept(obj));
      }

      @Override
      public void onDelete(T obj, boolean finalStateUnknown) {}
    };
  }

  private void provision(PersistentVolumeClaim pvc) {
    var meta = pvc.getMetadata();
    String node = meta.getAnnotations() == null ? null : meta.getAnnotations().get(SELECTED_NODE);
    if (!STORAGE_CLASS.equals(pvc.getSpec().getStorageClassName())
        || node == null
        || !nodes.contains(node)
        || pvc.getSpec().getVolumeName() != null
        || meta.getDeletionTimestamp() != null) {
      return;
    }
    String name = "pvc-" + meta.getUid();
    if (client.persistentVolumes().withName(name).get() != null) {
      return;
    }
    Path dir = root.resolve("pv").resolve(name);
    Quantity size =
        pvc.getSpec().getResources() == null || pvc.getSpec().getResources().getRequests() == null
            ? new Quantity("1Gi")
            : pvc.getSpec()
                .getResources()
                .getRequests()
                .getOrDefault("storage", new Quantity("1Gi"));
    try {
      Files.createDirectories(dir);
      if (owner.isPresent()) {
        chown(dir, owner.getAsInt());
      }
      client
          .persistentVolumes()
          .resource(
              new PersistentVolumeBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withAnnotations(Map.of(PROVISIONED_BY, PROVISIONER))
                  .endMetadata()
                  .withNewSpec()
                  .withCapacity(Map.of("storage", size))
                  .withAccessModes(pvc.getSpec().getAccessModes())
                  .withVolumeMode(pvc.getSpec().getVolumeMode())
                  .withStorageClassName(STORAGE_CLASS)
                  .withPersistentVolumeReclaimPolicy("Delete")
                  .withNewLocal()
                  .withPath(dir.toString())
                  .endLocal()
                  .withNewClaimRef()
                  .withApiVersion("v1")
                  .withKind("PersistentVolumeClaim")
                  .withNamespace(meta.getNamespace())
                  .withName(meta.getName())
                  .withUid(meta.getUid())
                  .endClaimRef()
                  .withNewNodeAffinity()
                  .withNewRequired()
                  .addNewNodeSelectorTerm()
                  .addNewMatchExpression()
                  .withKey("kubernetes.io/hostname")
                  .withOperator("In")
                  .withValues(node)
                  .endMatchExpression()
                  .endNodeSelectorTerm()
                  .endRequired()
                  .endNodeAffinity()
                  .endSpec()
                  .build())
          .create();
      LOG.info(
          "provisioned {} for {}/{} on {} at {}",
          name,
          meta.getNamespace(),
          meta.getName(),
          node,
          dir);
    } catch (IOException | KubernetesClientException e) {
      LOG.warn(
          "provisioning {} for {}/{} failed (retried on the next change): {}",
          name,
          meta.getNamespace(),
          meta.getName(),
          e.getMessage());
    }
  }

  private static void chown(Path dir, int id) throws IOException {
    Files.setAttribute(dir, "unix:uid", id);
    Files.setAttribute(dir, "unix:gid", id);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwx---"));
  }

  private void reclaim(PersistentVolume pv) {
    var annotations = pv.getMetadata().getAnnotations();
    if (annotations == null
        || !PROVISIONER.equals(annotations.get(PROVISIONED_BY))
        || pv.getStatus() == null
        || !"Released".equals(pv.getStatus().getPhase())
        || !"Delete".equals(pv.getSpec().getPersistentVolumeReclaimPolicy())
        || pv.getSpec().getLocal() == null) {
      return;
    }
    Path dir = Path.of(pv.getSpec().getLocal().getPath());
    if (!dir.startsWith(root.resolve("pv"))) {
      return; // not one of ours on this machine: never delete outside our directory
    }
    try (Stream<Path> walk = Files.exists(dir) ? Files.walk(dir) : Stream.empty()) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      client.persistentVolumes().withName(pv.getMetadata().getName()).delete();
      LOG.info("deleted released volume {} and {}", pv.getMetadata().getName(), dir);
    } catch (IOException | KubernetesClientException e) {
      LOG.warn(
          "deleting released volume {} failed: {}", pv.getMetadata().getName(), e.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
