package io.dqlite.operator;

import io.dqlite.operator.crd.ConditionTypes;
import io.dqlite.operator.crd.DqliteCluster;
import io.dqlite.operator.crd.DqliteClusterStatus;
import io.dqlite.operator.crd.RecoverySpec;
import io.dqlite.operator.crd.ScaleDownStatus;
import io.dqlite.operator.crd.TlsMode;
import io.dqlite.operator.crd.TlsStatus;
import io.dqlite.operator.dependents.ClientServiceDependent;
import io.dqlite.operator.dependents.ClusterNames;
import io.dqlite.operator.dependents.HeadlessServiceDependent;
import io.dqlite.operator.dependents.JoinConfigMapDependent;
import io.dqlite.operator.dependents.JoinSeeds;
import io.dqlite.operator.dependents.NetworkPolicyDependent;
import io.dqlite.operator.dependents.PodDisruptionBudgetDependent;
import io.dqlite.operator.dependents.ServiceAccountDependent;
import io.dqlite.operator.dependents.ServiceMonitorDependent;
import io.dqlite.operator.dependents.StatefulSetDependent;
import io.dqlite.operator.kube.AdminSecrets;
import io.dqlite.operator.kube.DataClaims;
import io.dqlite.operator.membership.MemberMapping;
import io.dqlite.operator.membership.Membership;
import io.dqlite.operator.plan.BootstrapDecision;
import io.dqlite.operator.plan.Decision;
import io.dqlite.operator.plan.ScalePlan;
import io.dqlite.operator.plan.ScaleStep;
import io.dqlite.operator.plan.TlsModeDecision;
import io.dqlite.operator.status.ClusterEvent;
import io.dqlite.operator.status.Conditions;
import io.dqlite.operator.status.DegradedCheck;
import io.dqlite.operator.status.EventDiff;
import io.dqlite.operator.status.Observation;
import io.dqlite.operator.status.StatusAggregator;
import io.dqlite.operator.status.StatusMemory;
import io.dqlite.operator.status.StatusWriter;
import io.dqlite.operator.steps.StepResult;
import io.dqlite.operator.steps.TlsRotator;
import io.dqlite.operator.steps.UserTls;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a DqliteCluster. Each pass: observe (StatefulSet and pods from the caches, the raft
 * membership from the sidecars), decide ({@link Decision}: the scale step, else the rolling
 * restart), apply the owned objects through the workflow (the StatefulSet with the replica count
 * the plan decided), take the one step, then compute the whole status ({@link StatusAggregator}),
 * record Events for what changed, and look again soon while anything is under way.
 *
 * <p>The workflow is invoked explicitly, after the decision, because the StatefulSet's replica
 * count depends on the raft membership.
 */
@ControllerConfiguration(name = DqliteClusterReconciler.NAME)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = ServiceAccountDependent.NAME, type = ServiceAccountDependent.class),
      @Dependent(name = JoinConfigMapDependent.NAME, type = JoinConfigMapDependent.class),
      @Dependent(name = HeadlessServiceDependent.NAME, type = HeadlessServiceDependent.class),
      @Dependent(name = ClientServiceDependent.NAME, type = ClientServiceDependent.class),
      @Dependent(
          name = PodDisruptionBudgetDependent.NAME,
          type = PodDisruptionBudgetDependent.class),
      @Dependent(
          name = ServiceMonitorDependent.NAME,
          type = ServiceMonitorDependent.class,
          activationCondition = ServiceMonitorDependent.CrdPresent.class,
          reconcilePrecondition = ServiceMonitorDependent.Requested.class,
          dependsOn = HeadlessServiceDependent.NAME),
      @Dependent(
          name = NetworkPolicyDependent.NAME,
          type = NetworkPolicyDependent.class,
          reconcilePrecondition = NetworkPolicyDependent.Enabled.class),
      @Dependent(
          name = StatefulSetDependent.NAME,
          type = StatefulSetDependent.class,
          dependsOn = {
            ServiceAccountDependent.NAME,
            JoinConfigMapDependent.NAME,
            HeadlessServiceDependent.NAME
          })
    })
public class DqliteClusterReconciler implements Reconciler<DqliteCluster> {

  private static final Logger log = LoggerFactory.getLogger(DqliteClusterReconciler.class);

  public static final String NAME = "dqlitecluster";
  public static final String PODS = "pods";

  /** Next look while a step is under way. */
  static final Duration SOON = Duration.ofSeconds(2);

  /** Next look while waiting (pods starting, quorum short, rollout gated). */
  static final Duration WAITING = Duration.ofSeconds(10);

  /** Next look when everything matches: the membership changes without Kubernetes events. */
  static final Duration STEADY = Duration.ofSeconds(30);

  private volatile ReconcilerServices services;
  private final StatusMemory statuses = new StatusMemory();
  private final StatusWriter statusWriter;

  /** Production services, built from the controller's client at the first reconciliation. */
  public DqliteClusterReconciler() {
    this.statusWriter = StatusWriter.serverSideApply();
  }

  public DqliteClusterReconciler(ReconcilerServices services) {
    this(services, StatusWriter.serverSideApply());
  }

  /** With {@code statusWriter} in place of the server-side apply (tests inject failures). */
  public DqliteClusterReconciler(ReconcilerServices services, StatusWriter statusWriter) {
    this.services = services;
    this.statusWriter = statusWriter;
  }

  @Override
  public List<EventSource<?, DqliteCluster>> prepareEventSources(
      EventSourceContext<DqliteCluster> context) {
    InformerEventSourceConfiguration<Pod> pods =
        InformerEventSourceConfiguration.from(Pod.class, DqliteCluster.class)
            .withName(PODS)
            .withLabelSelector(ClusterNames.MANAGED_BY_LABEL + "=" + ClusterNames.MANAGER)
            .withSecondaryToPrimaryMapper(
                pod -> {
                  Map<String, String> labels = pod.getMetadata().getLabels();
                  String owner = labels == null ? null : labels.get(ClusterNames.INSTANCE_LABEL);
                  return owner == null
                      ? Set.of()
                      : Set.of(new ResourceID(owner, pod.getMetadata().getNamespace()));
                })
            .build();
    if (services != null) {
      services.metrics().clusters(() -> context.getPrimaryCache().list());
    }
    return List.of(new InformerEventSource<>(pods, context));
  }

  @Override
  public UpdateControl<DqliteCluster> reconcile(DqliteCluster cr, Context<DqliteCluster> context) {
    ReconcilerServices s = services(context);
    long start = System.nanoTime();
    boolean success = false;
    try {
      UpdateControl<DqliteCluster> control = reconcile(cr, context, s);
      success = true;
      return control;
    } finally {
      s.metrics().reconciled(cr, Duration.ofNanos(System.nanoTime() - start), success);
    }
  }

  private UpdateControl<DqliteCluster> reconcile(
      DqliteCluster cr, Context<DqliteCluster> context, ReconcilerServices s) {
    // This pass (its dependents included) works from the newest status: what this operator last
    // wrote, which the informer cache may not show yet. cr is JOSDK's copy for this pass.
    DqliteClusterStatus cached = cr.getStatus();
    DqliteClusterStatus latest = statuses.latest(cr);
    var confirmedScaleDown = statuses.confirmedScaleDown(cr);
    var statefulSet = context.getSecondaryResource(StatefulSet.class, StatefulSetDependent.NAME);
    // The TLS mode first: everything built or dialled below follows it (TlsMode.of reads it back).
    TlsModeDecision.Choice tlsMode = tlsMode(cr, latest, statefulSet);
    cr.setStatus(withTls(latest, tlsMode.status()));
    context
        .managedWorkflowAndDependentResourceContext()
        .put(NetworkPolicyDependent.OPERATOR_PEER, s.operatorPeer());
    List<Pod> pods =
        context.getSecondaryResources(Pod.class).stream()
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    // The sidecars' /cluster and /handover need the admin token: its Secret first.
    AdminSecrets.Outcome admin = new AdminSecrets(context.getClient()).ensure(cr);
    Membership membership =
        pods.isEmpty()
            ? Membership.unknown(Map.of(), List.of("no pods yet"))
            : s.membership().read(cr, pods, s.clusterDomain(), admin.token());
    Decision decision =
        Decision.decide(
            cr,
            statefulSet,
            pods,
            MemberMapping.planMembers(cr, membership, s.clusterDomain()),
            MemberMapping.staleMembers(cr, membership, s.clusterDomain()),
            confirmedScaleDown,
            claimsLeft(cr, context, statefulSet));
    // One cluster per name: the identity is on the API server before any pod starts with it.
    DataClaims dataClaims = new DataClaims(context.getClient());
    Optional<List<BootstrapDecision.Claim>> claims = dataClaims.read(cr);
    BootstrapDecision.Outcome identity =
        BootstrapDecision.decide(
            new BootstrapDecision.Inputs(
                Optional.ofNullable(latest).map(DqliteClusterStatus::getIdentity),
                JoinSeeds.bootstrapped(cr),
                statefulSet.isPresent(),
                claims,
                Optional.ofNullable(cr.getSpec().getRecovery()).map(RecoverySpec::getClusterId),
                membership.hasLeader(),
                UUID.randomUUID().toString()));
    if (identity.recordFirst()) {
      decision = held(decision, identity);
    }
    ScaleStep step =
        decision.recordFirst()
            ? new ScaleStep.Wait("recording the scale-down plan")
            : decision.plan().next();

    context.managedWorkflowAndDependentResourceContext().put(StatefulSetDependent.SCALE_STEP, step);
    // TLS before the StatefulSet: a renewed or changed Secret changes its pod template.
    TlsRotator.Outcome tls = tls(cr, context, s, statefulSet, pods);
    tls.revision()
        .ifPresent(
            r ->
                context
                    .managedWorkflowAndDependentResourceContext()
                    .put(StatefulSetDependent.TLS_REVISION, r));
    if (identity.recordFirst() && statefulSet.isEmpty()) {
      // Nothing is created before the identity is recorded (or while the volumes of this name
      // block a start): the pods would read a ConfigMap without it.
      log.info(
          "{}/{}: {}",
          cr.getMetadata().getNamespace(),
          cr.getMetadata().getName(),
          step instanceof ScaleStep.Wait w ? w.reason() : "recording the cluster identity");
    } else {
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    }
    JoinSeeds.clusterId(cr)
        .ifPresent(
            id -> claims.ifPresent(c -> dataClaims.label(cr, c, id, replicasOf(statefulSet))));

    OptionalInt replicas =
        statefulSet
            .map(sts -> OptionalInt.of(sts.getSpec().getReplicas()))
            .orElse(OptionalInt.empty());
    Decision gated =
        s.steps()
            .gateOnCatchUp(
                cr,
                decision,
                pods,
                membership,
                statefulSet.map(StatefulSet::getStatus).map(st -> st.getUpdateRevision()),
                admin.token());
    if (gated != decision) {
      s.events()
          .record(
              cr,
              ClusterEvent.normal(
                  "RollingUpdateWaiting", "CatchUp", gated.roll().orElseThrow().reason()));
      decision = gated;
    }
    StepResult result = s.steps().take(cr, decision, replicas, pods, membership, admin.token());
    Observation observation =
        new Observation(
            cr,
            statefulSet,
            pods,
            membership,
            s.nodes().get(),
            decision.plan().next(),
            result.bookkeeping(),
            decision.roll(),
            result.failure().or(tls::failure).or(admin::failure),
            tls.problem(),
            s.clusterDomain(),
            s.clock().instant(),
            identity.problem().map(p -> new DegradedCheck.Issue(p.reason(), p.message())));
    DqliteClusterStatus status = StatusAggregator.aggregate(observation);
    status.setIdentity(identity.identity().orElse(null));

    List<ClusterEvent> events = new ArrayList<>(result.events());
    events.addAll(tls.events());
    events.forEach(e -> s.events().record(cr, e));

    Duration next = identity.recordFirst() ? SOON : next(result, tls, status);
    if (!Serialization.asJson(status).equals(Serialization.asJson(cached))) {
      Optional<String> refused = write(cr, context, status);
      if (refused.isPresent()) {
        // Not remembered: the next pass plans from what the server holds, so an intent this
        // status was to record is recorded again before any step acts on it.
        log.warn("{}", refused.get());
        if (result.acted()) {
          statuses.unconfirmed(cr, status);
        }
        return UpdateControl.<DqliteCluster>noUpdate().rescheduleAfter(WAITING);
      }
    }
    // Against the status before this pass's TLS decision, so that a decision it records is told.
    EventDiff.diff(latest, status).forEach(e -> s.events().record(cr, e));
    statuses.wrote(cr, status);
    return UpdateControl.<DqliteCluster>noUpdate().rescheduleAfter(next);
  }

  /**
   * Writes the status now, not after the pass as {@code UpdateControl.patchStatus} would: the next
   * pass acts on {@code status.scaleDown} only once the API server answered with it.
   *
   * @return why the status is not on the server, if it is not
   */
  private Optional<String> write(
      DqliteCluster cr, Context<DqliteCluster> context, DqliteClusterStatus status) {
    String name = cr.getMetadata().getNamespace() + "/" + cr.getMetadata().getName();
    try {
      DqliteCluster stored =
          statusWriter.write(
              context.getClient(),
              context.getControllerConfiguration().fieldManager(),
              statusPatch(cr, status));
      DqliteClusterStatus held = stored == null ? null : stored.getStatus();
      if (held == null || !Decision.same(held.getScaleDown(), status.getScaleDown())) {
        return Optional.of(
            "status of " + name + " written, but the API server's answer lacks its scaleDown");
      }
      log.debug("status of {} changed", name);
      return Optional.empty();
    } catch (KubernetesClientException e) {
      return Optional.of(
          "status of "
              + name
              + " not written ("
              + e.getMessage()
              + "): no step is taken until it is");
    }
  }

  /**
   * The removals scaled away whose data claim is still there, read by name (only while the
   * scale-down record exists), whatever the retention policy: a retained claim deleted by a person
   * ends its entry too. An unreadable one counts as there, so the record is never dropped on a
   * guess.
   */
  private static Set<Integer> claimsLeft(
      DqliteCluster cr, Context<DqliteCluster> context, Optional<StatefulSet> statefulSet) {
    ScaleDownStatus record = cr.getStatus() == null ? null : cr.getStatus().getScaleDown();
    if (record == null || record.getRemovals() == null) {
      return Set.of();
    }
    int replicas = statefulSet.map(sts -> sts.getSpec().getReplicas()).orElse(0);
    Set<Integer> left = new HashSet<>();
    for (ScaleDownStatus.Removal r : record.getRemovals()) {
      if (r.getOrdinal() == null || r.getOrdinal() < replicas) {
        continue;
      }
      String claim = ClusterNames.dataClaim(cr, r.getOrdinal());
      try {
        if (context
                .getClient()
                .persistentVolumeClaims()
                .inNamespace(cr.getMetadata().getNamespace())
                .withName(claim)
                .get()
            != null) {
          left.add(r.getOrdinal());
        }
      } catch (KubernetesClientException e) {
        log.warn("claim {} not read, taken as still there: {}", claim, e.getMessage());
        left.add(r.getOrdinal());
      }
    }
    return left;
  }

  /** The decision with its step held for a pass: the cluster identity is recorded first. */
  private static Decision held(Decision decision, BootstrapDecision.Outcome identity) {
    String why =
        identity
            .problem()
            .map(BootstrapDecision.Issue::message)
            .orElse(
                "recording the cluster identity "
                    + identity.identity().map(i -> i.getClusterId()).orElse("")
                    + " before any pod starts with it");
    return new Decision(
        new ScalePlan(
            new ScaleStep.Wait(why), decision.plan().condemned(), decision.plan().bookkeeping()),
        false,
        Optional.empty());
  }

  private static int replicasOf(Optional<StatefulSet> statefulSet) {
    return statefulSet.map(sts -> sts.getSpec().getReplicas()).orElse(0);
  }

  /** A resource carrying only what a server-side-apply status patch needs. */
  static DqliteCluster statusPatch(DqliteCluster cr, DqliteClusterStatus status) {
    DqliteCluster patch = new DqliteCluster();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(cr.getMetadata().getName());
    meta.setNamespace(cr.getMetadata().getNamespace());
    patch.setMetadata(meta);
    patch.setSpec(null);
    patch.setStatus(status);
    return patch;
  }

  static Duration next(StepResult result, TlsRotator.Outcome tls, DqliteClusterStatus status) {
    if (result.acted() || !tls.events().isEmpty()) {
      return SOON;
    }
    boolean settled =
        Conditions.isTrue(status.getConditions(), ConditionTypes.READY)
            && !Conditions.isTrue(status.getConditions(), ConditionTypes.PROGRESSING);
    return settled ? STEADY : WAITING;
  }

  /** The TLS mode to run in, from the spec, the recorded status and the StatefulSet. */
  static TlsModeDecision.Choice tlsMode(
      DqliteCluster cr, DqliteClusterStatus latest, Optional<StatefulSet> statefulSet) {
    return TlsModeDecision.decide(
        TlsMode.requested(cr.getSpec().getTls()),
        Optional.ofNullable(latest)
            .map(DqliteClusterStatus::getTls)
            .map(TlsStatus::getMode)
            .flatMap(TlsMode::of),
        statefulSet.map(StatefulSetDependent::mountsTls));
  }

  /** A copy of {@code status} (a new one if null) with {@code tls} set. */
  static DqliteClusterStatus withTls(DqliteClusterStatus status, TlsStatus tls) {
    DqliteClusterStatus copy =
        status == null
            ? new DqliteClusterStatus()
            : Serialization.unmarshal(Serialization.asJson(status), DqliteClusterStatus.class);
    copy.setTls(tls);
    return copy;
  }

  /** The generated Secret's rotation, or the user's Secret read; nothing without TLS. */
  private static TlsRotator.Outcome tls(
      DqliteCluster cr,
      Context<DqliteCluster> context,
      ReconcilerServices s,
      Optional<StatefulSet> statefulSet,
      List<Pod> pods) {
    if (generatesTls(cr)) {
      return new TlsRotator(context.getClient(), s.clusterDomain())
          .reconcile(cr, statefulSet, pods, s.clock().instant());
    }
    if (TlsMode.of(cr) == TlsMode.SECRET) {
      return new UserTls(context.getClient()).reconcile(cr, statefulSet);
    }
    return TlsRotator.Outcome.none();
  }

  static boolean generatesTls(DqliteCluster cr) {
    return TlsMode.of(cr) == TlsMode.GENERATED;
  }

  private ReconcilerServices services(Context<DqliteCluster> context) {
    ReconcilerServices s = services;
    if (s == null) {
      synchronized (this) {
        if (services == null) {
          services = ReconcilerServices.production(context.getClient());
        }
        s = services;
      }
    }
    return s;
  }
}
