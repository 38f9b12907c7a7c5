{{/* Chart name, or nameOverride. */}}
{{- define "dqlite-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of every object: fullnameOverride, else the release name when it already contains the
chart name, else "<release>-<chart>"; at most 63 characters (a DNS label).
*/}}
{{- define "dqlite-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* "<chart>-<version>" for the helm.sh/chart label. */}}
{{- define "dqlite-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "dqlite-operator.labels" -}}
helm.sh/chart: {{ include "dqlite-operator.chart" . }}
{{ include "dqlite-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: dqlite
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels selecting the operator pods; never change them after a release (selectors are immutable). */}}
{{- define "dqlite-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dqlite-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The operator's ServiceAccount: serviceAccount.name, else the full name when the chart creates it, else "default". */}}
{{- define "dqlite-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "dqlite-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The operator image: repository@digest, else repository:tag (tag defaults to appVersion). */}}
{{- define "dqlite-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The labels of the pods the operator creates for DqliteClusters (io.dqlite.operator.dependents
.ClusterNames.labels); the sidecar PodMonitor and the dashboard select on them.
*/}}
{{- define "dqlite-operator.sidecarSelectorLabels" -}}
app.kubernetes.io/name: dqlite
app.kubernetes.io/managed-by: dqlite-operator
{{- end }}

{{/*
What the operator may do in each namespace it watches. One rule per kind of object, with only the
verbs the operator uses; docs/packaging.md gives the reason for each.
*/}}
{{- define "dqlite-operator.rules" -}}
# The custom resource: read and watch (no finalizer: owned objects go by owner references); only
# the status is written, by patches.
- apiGroups: ["dqlite.io"]
  resources: ["dqliteclusters"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["dqlite.io"]
  resources: ["dqliteclusters/status"]
  verbs: ["patch"]
# The objects a cluster owns: read from informers (list, watch), written by server-side apply
# only (patch; create when the apply creates the object); deleted by the garbage collector with
# their DqliteCluster, never by the operator.
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["services", "configmaps", "serviceaccounts"]
  verbs: ["list", "watch", "create", "patch"]
# Secrets by name only (no informer): generated TLS is read, created and renewed by server-side
# apply, and a cluster's TLS Secret is read to dial its nodes.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "create", "patch"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch", "create", "patch"]
# Each cluster's NetworkPolicy, as the objects above, and deleted when the cluster's
# spec.networkPolicy.enabled turns false.
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# Pods from an informer; rolling updates and recycling evict one at a time (the Eviction API, so
# the PodDisruptionBudget holds for the operator too), never delete; read by name just before.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["pods/eviction"]
  verbs: ["create"]
# Volume retention: the claims of pods scaled away are deleted by name (storage.retention), and
# read by name until gone (the scale-down record is kept until then). Cluster identity: the claims
# of a cluster's name are listed for the identity label they carry, and labelled with it.
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["get", "list", "patch", "delete"]
# Events on DqliteClusters, created through events.k8s.io/v1 (never patched, never core/v1).
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create"]
{{- if .Values.rbac.serviceMonitors }}
# spec.metrics.serviceMonitor: one prometheus-operator ServiceMonitor per cluster, deleted when
# the field turns false.
- apiGroups: ["monitoring.coreos.com"]
  resources: ["servicemonitors"]
  verbs: ["list", "watch", "create", "patch", "delete"]
{{- end }}
{{- end }}
