package io.dqlite.operator.dependents;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * prometheus-operator's ServiceMonitor as a {@link GenericKubernetesResource} (its spec is an
 * untyped map), named by annotations so that the client needs no API discovery for it: with plain
 * group/version/kind, JOSDK's activation condition would fail while the CRD is absent, because it
 * builds the informer (and fabric8 looks the kind up) even to leave it unregistered.
 */
@Group(DesiredServiceMonitor.GROUP)
@Version(DesiredServiceMonitor.VERSION)
@Kind(DesiredServiceMonitor.KIND)
@Plural(DesiredServiceMonitor.PLURAL)
public class ServiceMonitor extends GenericKubernetesResource implements Namespaced {

  public ServiceMonitor() {
    setApiVersion(DesiredServiceMonitor.GROUP + "/" + DesiredServiceMonitor.VERSION);
    setKind(DesiredServiceMonitor.KIND);
  }
}
