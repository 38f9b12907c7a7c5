package io.dqlite.localkube.agent;

import io.dqlite.localkube.dns.DnsWriter;
import io.dqlite.localkube.kubelet.KubeletServer;
import io.dqlite.localkube.pods.ContainerEnv;
import io.dqlite.localkube.pods.ContainerLauncher;
import io.dqlite.localkube.pods.ContainerLogs;
import io.dqlite.localkube.pods.Events;
import io.dqlite.localkube.pods.ImageTable;
import io.dqlite.localkube.pods.PodIpAllocator;
import io.dqlite.localkube.pods.PodManager;
import io.dqlite.localkube.pods.PodRuntime;
import io.dqlite.localkube.probes.Handlers;
import io.dqlite.localkube.volumes.LocalProvisioner;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent that stands in for the kubelet on every simulated node: registers the nodes with
 * zone labels and keeps their leases and Ready condition fresh, runs the pods bound to them as
 * local processes, provisions local volumes and writes the per-namespace hosts files. Closing it
 * stops every pod process.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

  private final Options options;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::close, "localkube-agent-shutdown");
  private ScheduledExecutorService heartbeats;
  private PodManager pods;
  private DnsWriter dns;
  private LocalProvisioner provisioner;
  private KubeletServer kubelet;
  private PodIpAllocator ips;
  private boolean started;
  private boolean closed;

  private NodeAgent(Options options) {
    this.options = options;
  }

  /** Options with defaults; see {@link Builder}. */
  public static Builder builder(KubernetesClient client, Path root, ImageTable images) {
    return new Builder(client, root, images);
  }

  /** The simulated nodes. */
  public List<NodeSpec> nodes() {
    return options.nodes();
  }

  /** The hosts file JVMs of {@code namespace} read (written if it does not exist yet). */
  public Path hostsFile(String namespace) {
    return dns.fileFor(namespace);
  }

  /** Registers the nodes and starts following pods; returns once the informers have synced. */
  public synchronized NodeAgent start() {
    if (started) {
      return this;
    }
    started = true;
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      KubernetesClient client = options.client();
      Files.createDirectories(options.root());
      SharedIndexInformer<Pod> podInformer =
          synced(client.pods().inAnyNamespace().runnableInformer(0));
      SharedIndexInformer<Service> svcInformer =
          synced(client.services().inAnyNamespace().runnableInformer(0));
      SharedIndexInformer<PersistentVolumeClaim> pvcInformer =
          synced(client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0));
      SharedIndexInformer<PersistentVolume> pvInformer =
          synced(client.persistentVolumes().runnableInformer(0));

      int kubeletPort = 0;
      if (options.kubeletTls() != null) {
        kubelet = startKubeletApi(podInformer);
        kubeletPort = kubelet.port();
      }
      List<NodeHeartbeat> beats = new ArrayList<>();
      for (NodeSpec n : options.nodes()) {
        NodeHeartbeat hb = new NodeHeartbeat(client, n, kubeletPort);
        hb.register();
        beats.add(hb);
      }
      heartbeats =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "localkube-heartbeat");
                t.setDaemon(true);
                return t;
              });
      long period = options.heartbeatPeriod().toMillis();
      heartbeats.scheduleWithFixedDelay(
          () -> beats.forEach(b -> b.beat(Instant.now())), period, period, TimeUnit.MILLISECONDS);

      Set<String> names = options.nodes().stream().map(NodeSpec::name).collect(Collectors.toSet());
      provisioner = new LocalProvisioner(client, options.root(), names);
      provisioner.start(pvcInformer, pvInformer);
      dns = new DnsWriter(options.root().resolve("dns"), options.apiHost());
      dns.start(podInformer, svcInformer);

      Map<String, String> nodeIps =
          options.nodes().stream().collect(Collectors.toMap(NodeSpec::name, NodeSpec::ip));
      ips = new PodIpAllocator();
      PodRuntime rt =
          new PodRuntime(
              client,
              new ContainerLauncher(
                  options.images(),
                  new ContainerEnv(new ApiSources(client), options.apiHost(), options.apiPort())),
              new Handlers(),
              new ApiSources(client),
              ips,
              new Events(client),
              options.root(),
              nodeIps,
              dns::fileFor,
              options.backoffBase(),
              options.backoffMax(),
              Clock.systemUTC());
      pods = new PodManager(rt, names);
      pods.start(podInformer);
      LOG.info("node agent up: nodes {}, state in {}", names, options.root());
      return this;
    } catch (Exception e) {
      close();
      throw new IllegalStateException("start the node agent: " + e.getMessage(), e);
    }
  }

  /** Serves kubectl logs on every node address, on a port free on all of them. */
  private KubeletServer startKubeletApi(SharedIndexInformer<Pod> pods) throws Exception {
    List<String> addresses =
        options.nodes().stream().map(NodeSpec::ip).collect(Collectors.toList());
    KubeletTls tls = options.kubeletTls();
    KubeletServer.LogFiles logs =
        (ns, name, container, previous) -> {
          Pod pod = pods.getStore().getByKey(ns + "/" + name);
          if (pod == null) {
            return Optional.empty();
          }
          return ContainerLogs.find(
              PodRuntime.logDir(options.root(), ns, name, pod.getMetadata().getUid(), container),
              previous);
        };
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(addresses.get(0)))) {
        port = probe.getLocalPort();
      }
      try {
        return KubeletServer.start(addresses, port, tls.cert(), tls.key(), tls.clientCa(), logs);
      } catch (IOException taken) {
        last = taken; // free on the first address but not on another: try another port
      }
    }
    throw last;
  }

  private <T> SharedIndexInformer<T> synced(SharedIndexInformer<T> informer) throws Exception {
    informers.add(informer);
    informer.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return informer;
  }

  /** Stops every pod's processes, the heartbeats and the informers; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNotAdded) {
      // called from the hook itself, or before start()
    }
    if (pods != null) {
      pods.close();
    }
    if (heartbeats != null) {
      heartbeats.shutdownNow();
    }
    if (provisioner != null) {
      provisioner.close();
    }
    if (dns != null) {
      dns.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (ips != null) {
      ips.close();
    }
    informers.forEach(SharedIndexInformer::stop);
    LOG.info("node agent stopped");
  }

  /** Immutable options; defaults in {@link Builder}. */
  record Options(
      KubernetesClient client,
      Path root,
      ImageTable images,
      List<NodeSpec> nodes,
      String apiHost,
      int apiPort,
      Duration heartbeatPeriod,
      Duration backoffBase,
      Duration backoffMax,
      KubeletTls kubeletTls) {}

  /** The kubelet API's serving certificate and key, and the CA of its clients (PEM files). */
  record KubeletTls(Path cert, Path key, Path clientCa) {}

  /** Builder. */
  public static final class Builder {
    private final KubernetesClient client;
    private final Path root;
    private final ImageTable images;
    private List<NodeSpec> nodes = NodeSpec.of("node", 3, List.of("zone-a", "zone-b", "zone-c"));
    private Duration heartbeatPeriod = Duration.ofSeconds(10);
    private Duration backoffBase = Duration.ofSeconds(10);
    private Duration backoffMax = Duration.ofMinutes(5);
    private KubeletTls kubeletTls;

    private Builder(KubernetesClient client, Path root, ImageTable images) {
      this.client = Objects.requireNonNull(client);
      this.root = root.toAbsolutePath();
      this.images = Objects.requireNonNull(images);
    }

    /** The nodes; default {@code node-1..3} in zone-a, zone-b, zone-c. */
    public Builder nodes(List<NodeSpec> nodes) {
      this.nodes = List.copyOf(nodes);
      return this;
    }

    /** Lease renewal period; default 10 s (a quarter of the 40 s lease, as the kubelet). */
    public Builder heartbeatPeriod(Duration period) {
      this.heartbeatPeriod = period;
      return this;
    }

    /** Crash-loop back-off: first delay (default 10 s) and cap (default 5 min). */
    public Builder backoff(Duration base, Duration max) {
      this.backoffBase = base;
      this.backoffMax = max;
      return this;
    }

    /**
     * Serves the kubelet API's logs endpoint ({@code kubectl logs}) with this certificate and key,
     * to clients with a certificate from {@code clientCa}; off by default. The control plane's
     * {@code pki/kubelet.crt}, {@code kubelet.key} and {@code ca.crt} fit.
     */
    public Builder kubeletApi(Path cert, Path key, Path clientCa) {
      this.kubeletTls = new KubeletTls(cert, key, clientCa);
      return this;
    }

    /** Builds the agent; the API address for pods comes from the client's master URL. */
    public NodeAgent build() {
      URI api = URI.create(client.getConfiguration().getMasterUrl());
      int port = api.getPort() > 0 ? api.getPort() : 443;
      return new NodeAgent(
          new Options(
              client,
              root,
              images,
              nodes,
              api.getHost(),
              port,
              heartbeatPeriod,
              backoffBase,
              backoffMax,
              kubeletTls));
    }
  }
}
