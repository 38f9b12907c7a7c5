package io.dqlite.operator.dependents;

import static io.dqlite.operator.dependents.TestClusters.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.dqlite.operator.crd.DqliteCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** Merging the user's podTemplate with what the operator owns. */
class PodTemplateTest {

  private static final String USER_TEMPLATE =
      """
      metadata:
        labels: {team: shop, app.kubernetes.io/instance: hijack}
        annotations: {example.com/owner: shop-team}
      spec:
        serviceAccountName: shop-app
        terminationGracePeriodSeconds: 300
        nodeSelector: {disk: ssd}
        securityContext: {runAsNonRoot: true, runAsUser: 1000}
        containers:
        - name: app
          image: shop:1.0
          volumeMounts: [{name: cache, mountPath: /cache}]
        - name: dqlite
          image: evil:latest
        volumes:
        - {name: cache, emptyDir: {}}
        - {name: dqlite-socket, hostPath: {path: /var/run}}
      """;

  private static DqliteCluster withUserTemplate() {
    PodTemplateSpec template = Serialization.unmarshal(USER_TEMPLATE, PodTemplateSpec.class);
    return TestClusters.cluster(spec -> spec.setPodTemplate(template));
  }

  private static PodTemplateSpec build(DqliteCluster cr) {
    return PodTemplate.build(cr, DOMAIN);
  }

  @Test
  void userContainersGetTheAppSocketAndComeFirst() {
    PodSpec pod = build(withUserTemplate()).getSpec();
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("app", "dqlite");
    Container app = pod.getContainers().get(0);
    assertThat(app.getVolumeMounts())
        .extracting(m -> m.getName() + ":" + m.getMountPath())
        .containsExactly("cache:/cache", "dqlite-socket:/run/dqlite");
    assertThat(app.getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly("DQLITE_APP_SOCKET=/run/dqlite/dqlite.sock");
    assertThat(app.getVolumeMounts())
        .as("the admin token is the sidecar's alone")
        .noneMatch(m -> m.getName().equals(PodVolumes.ADMIN));
    assertThat(pod.getContainers().get(1).getImage())
        .as("a user container named dqlite is replaced by the sidecar")
        .isEqualTo("dqlite-k8s/sidecar:0.1.0");
  }

  @Test
  void anAbstractAppSocketIsWhatTheSidecarServesAndTheAppIsTold() {
    DqliteCluster cr = withUserTemplate();
    cr.getSpec().setAppSocket("@shop-db");
    PodSpec pod = build(cr).getSpec();
    assertThat(pod.getContainers().get(0).getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly("DQLITE_APP_SOCKET=@shop-db");
    assertThat(pod.getContainers().get(1).getEnv())
        .filteredOn(e -> e.getName().equals("DQLITE_APP_SOCKET"))
        .extracting(e -> e.getValue())
        .containsExactly("@shop-db");
  }

  @Test
  void reservedVolumeNamesAreTheOperators() {
    PodSpec pod = build(withUserTemplate()).getSpec();
    assertThat(pod.getVolumes())
        .extracting(Volume::getName)
        .containsExactly("cache", "dqlite-socket", "dqlite-tmp", "dqlite-admin", "dqlite-tls");
    assertThat(pod.getVolumes().get(1).getEmptyDir()).isNotNull();
    assertThat(pod.getVolumes().get(1).getHostPath()).isNull();
  }

  @Test
  void userFieldsAreKeptAndSelectorLabelsWin() {
    DqliteCluster cr = withUserTemplate();
    PodTemplateSpec template = build(cr);
    assertThat(template.getMetadata().getLabels())
        .containsEntry("team", "shop")
        .containsAllEntriesOf(ClusterNames.selectorLabels(cr));
    assertThat(template.getMetadata().getAnnotations())
        .containsEntry("example.com/owner", "shop-team");
    PodSpec pod = template.getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("disk", "ssd");
    assertThat(pod.getServiceAccountName()).isEqualTo("shop-app");
    assertThat(pod.getAutomountServiceAccountToken()).isNull();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(300L);
    assertThat(pod.getContainers().get(1).getSecurityContext().getRunAsUser())
        .as("the sidecar keeps its own restricted context")
        .isEqualTo(Sidecar.RUN_AS_USER);
  }

  @Test
  void theUsersTemplateIsNotModified() {
    DqliteCluster cr = withUserTemplate();
    PodTemplateSpec before = Serialization.clone(cr.getSpec().getPodTemplate());
    build(cr);
    assertThat(cr.getSpec().getPodTemplate()).isEqualTo(before);
  }

  @Test
  void withoutATemplateThePodIsTheSidecarAlone() {
    PodSpec pod = build(TestClusters.cluster()).getSpec();
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("dqlite");
    assertThat(pod.getInitContainers()).isNullOrEmpty();
  }

  @Test
  void readingNodeLabelsMountsTheAccountTokenIntoTheSidecarAlone() {
    io.dqlite.operator.crd.ZonesSpec zones = new io.dqlite.operator.crd.ZonesSpec();
    zones.setReadNodeLabels(true);
    PodTemplateSpec template =
        build(
            TestClusters.cluster(
                spec -> {
                  // The user's template, on the cluster's own ServiceAccount.
                  spec.setPodTemplate(
                      Serialization.unmarshal(USER_TEMPLATE, PodTemplateSpec.class));
                  spec.getPodTemplate().getSpec().setServiceAccountName(null);
                  spec.setZones(zones);
                }));
    PodSpec pod = template.getSpec();
    assertThat(pod.getServiceAccountName())
        .isEqualTo(ClusterNames.serviceAccount(TestClusters.cluster()));
    assertThat(pod.getAutomountServiceAccountToken())
        .as("the application's containers get no token")
        .isFalse();
    Container sidecar = pod.getContainers().get(1);
    assertThat(sidecar.getVolumeMounts())
        .filteredOn(m -> m.getName().equals(PodVolumes.KUBE_API))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath())
                  .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount");
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .noneMatch(m -> m.getName().equals(PodVolumes.KUBE_API));
    assertThat(sidecar.getEnv())
        .filteredOn(e -> e.getName().equals("NODE_NAME"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("spec.nodeName"));
    Volume api =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(PodVolumes.KUBE_API))
            .findFirst()
            .orElseThrow();
    var sources = api.getProjected().getSources();
    assertThat(sources.get(0).getServiceAccountToken().getPath()).isEqualTo("token");
    assertThat(sources.get(1).getConfigMap().getName()).isEqualTo("kube-root-ca.crt");
    assertThat(sources.get(1).getConfigMap().getItems().get(0).getPath()).isEqualTo("ca.crt");
    assertThat(sources.get(2).getDownwardAPI().getItems().get(0).getFieldRef().getFieldPath())
        .isEqualTo("metadata.namespace");
  }

  @Test
  void byDefaultNoContainerGetsAToken() {
    PodSpec pod = build(TestClusters.cluster(spec -> {})).getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getVolumes()).noneMatch(v -> v.getName().equals(PodVolumes.KUBE_API));
    assertThat(pod.getContainers())
        .allSatisfy(
            c ->
                assertThat(c.getVolumeMounts())
                    .noneMatch(m -> m.getMountPath().startsWith("/var/run/secrets")));
  }
}
