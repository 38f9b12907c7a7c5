package io.dqlite.operator.dependents;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * Security contexts meeting the "restricted" Pod Security Standard: non-root with a fixed uid, no
 * privilege escalation, every capability dropped, RuntimeDefault seccomp, read-only root.
 */
public final class PodSecurity {

  private PodSecurity() {}

  /**
   * The pod's context, used unless the user's podTemplate brings its own. {@code fsGroup} makes the
   * data volume writable by the sidecar's uid; OnRootMismatch avoids a recursive chown of a large
   * volume at every start.
   */
  public static PodSecurityContext pod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(Sidecar.RUN_AS_USER)
        .withRunAsGroup(Sidecar.RUN_AS_USER)
        .withFsGroup(Sidecar.RUN_AS_USER)
        .withFsGroupChangePolicy("OnRootMismatch")
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /**
   * The sidecar container's context: complete on its own, so the sidecar stays restricted even when
   * the user's podTemplate sets a looser pod-level context.
   */
  public static SecurityContext container() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(Sidecar.RUN_AS_USER)
        .withRunAsGroup(Sidecar.RUN_AS_USER)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withPrivileged(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }
}
