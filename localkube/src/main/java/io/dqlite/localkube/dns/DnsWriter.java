package io.dqlite.localkube.dns;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code dir/<namespace>.hosts} current from the pod and Service informers: every change
 * schedules one re-render shortly after (changes in a burst are written once); a file is replaced
 * atomically and only when its content changes.
 */
public final class DnsWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DnsWriter.class);
  private static final long DEBOUNCE_MS = 100;

  private final Path dir;
  private final String apiHost;
  private final String machineHostname;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "localkube-dns");
            t.setDaemon(true);
            return t;
          });
  private final Set<String> namespaces = new HashSet<>();
  private final Map<String, String> written = new HashMap<>();
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<Service> services;
  private boolean scheduled;

  public DnsWriter(Path dir, String apiHost) {
    this.dir = dir;
    this.apiHost = apiHost;
    this.machineHostname = localHostname();
  }

  /** Follows the informers (which should have synced) and writes every namespace's file. */
  public void start(SharedIndexInformer<Pod> pods, SharedIndexInformer<Service> services) {
    this.pods = pods;
    this.services = services;
    ResourceEventHandler<HasMetadata> onChange =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(HasMetadata obj) {
            changed(obj.getMetadata().getNamespace());
          }

          @Override
          public void onUpdate(HasMetadata oldObj, HasMetadata obj) {
            changed(obj.getMetadata().getNamespace());
          }

          @Override
          public void onDelete(HasMetadata obj, boolean finalStateUnknown) {
            changed(obj.getMetadata().getNamespace());
          }
        };
    pods.addEventHandler(cast(onChange));
    services.addEventHandler(cast(onChange));
    renderAll();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T> ResourceEventHandler<T> cast(ResourceEventHandler handler) {
    return handler;
  }

  /** The hosts file for processes in {@code namespace}, written now if it does not exist yet. */
  public synchronized Path fileFor(String namespace) {
    namespaces.add(namespace);
    Path file = dir.resolve(namespace + ".hosts");
    if (!Files.exists(file)) {
      write(namespace);
    }
    return file;
  }

  private synchronized void changed(String namespace) {
    if (namespace != null) {
      namespaces.add(namespace);
    }
    if (!scheduled) {
      scheduled = true;
      executor.schedule(this::renderAll, DEBOUNCE_MS, TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void renderAll() {
    scheduled = false;
    for (String ns : List.copyOf(namespaces)) {
      try {
        write(ns);
      } catch (RuntimeException e) {
        LOG.warn("hosts file for namespace {} not written: {}", ns, e.getMessage());
      }
    }
  }

  private void write(String namespace) {
    List<Pod> allPods = pods == null ? List.of() : pods.getStore().list();
    List<Service> allServices = services == null ? List.of() : services.getStore().list();
    String text = HostsFile.render(namespace, allPods, allServices, apiHost, machineHostname);
    if (text.equals(written.get(namespace))) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(namespace + ".hosts");
      Path tmp = dir.resolve("." + namespace + ".hosts.tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      written.put(namespace, text);
    } catch (IOException e) {
      throw new UncheckedIOException("write the hosts file of " + namespace + " in " + dir, e);
    }
  }

  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
