import type { KubeObject } from '../config/kube-object';

/** The container fields the rules read. */
export interface ContainerView {
  readonly name: string;
  readonly image?: string;
  readonly resources?: { readonly requests?: Record<string, unknown>; readonly limits?: Record<string, unknown> };
  readonly securityContext?: SecurityContextView;
  readonly livenessProbe?: unknown;
  readonly readinessProbe?: unknown;
}

export interface SecurityContextView {
  readonly privileged?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly capabilities?: { readonly drop?: readonly string[]; readonly add?: readonly string[] };
}

/** One pod as described inside a workload object. */
export interface PodView {
  /** Where the pod is described in the object, e.g. `spec.template.spec` or `spec.driver`; used in messages. */
  readonly path: string;
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly volumes: readonly { readonly name: string; readonly hostPath?: unknown }[];
  readonly securityContext?: { readonly runAsNonRoot?: boolean };
  /** Long-running containers (Spark sidecars included). */
  readonly containers: readonly ContainerView[];
  readonly initContainers: readonly ContainerView[];
}

type Json = Record<string, any>;

/** Kinds whose pod template sits at `spec.template.spec`. */
const TEMPLATED_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/**
 * The pods an object describes: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, and the driver and
 * executor of a SparkApplication or ScheduledSparkApplication. Every container rule walks pods through this function.
 */
export function podsOf(obj: KubeObject): PodView[] {
  const spec = obj.spec as Json | undefined;
  if (!spec) return [];
  if (obj.kind === 'Pod') return [podSpecView(spec, 'spec')];
  if (TEMPLATED_KINDS.has(obj.kind))
    return spec.template?.spec ? [podSpecView(spec.template.spec, 'spec.template.spec')] : [];
  if (obj.kind === 'CronJob') {
    const pod = spec.jobTemplate?.spec?.template?.spec;
    return pod ? [podSpecView(pod, 'spec.jobTemplate.spec.template.spec')] : [];
  }
  if (obj.kind === 'SparkApplication' && obj.apiVersion.startsWith('sparkoperator.k8s.io/'))
    return sparkPods(spec, 'spec');
  if (obj.kind === 'ScheduledSparkApplication' && obj.apiVersion.startsWith('sparkoperator.k8s.io/')) {
    return spec.template ? sparkPods(spec.template, 'spec.template') : [];
  }
  return [];
}

function podSpecView(pod: Json, path: string): PodView {
  return {
    path,
    hostNetwork: pod.hostNetwork,
    hostPID: pod.hostPID,
    hostIPC: pod.hostIPC,
    volumes: pod.volumes ?? [],
    securityContext: pod.securityContext,
    containers: pod.containers ?? [],
    initContainers: pod.initContainers ?? [],
  };
}

/**
 * A SparkApplication describes its pods indirectly: the operator turns `cores`/`memory`/`coreLimit` into the main
 * container's requests and limits (Spark sets the memory limit to memory + overhead), so they are mapped onto the same
 * container shape here.
 */
function sparkPods(app: Json, path: string): PodView[] {
  return (['driver', 'executor'] as const).flatMap((role) => {
    const pod = app[role] as Json | undefined;
    if (!pod) return [];
    const main: ContainerView = {
      name: `spark-kubernetes-${role}`,
      image: pod.image ?? app.image,
      resources: {
        requests: compact({ cpu: pod.cores, memory: pod.memory }),
        limits: compact({ cpu: pod.coreLimit, memory: pod.memory }),
      },
      securityContext: pod.securityContext,
    };
    return [
      {
        path: `${path}.${role}`,
        hostNetwork: pod.hostNetwork,
        volumes: app.volumes ?? [],
        securityContext: pod.podSecurityContext,
        containers: [main, ...(pod.sidecars ?? [])],
        initContainers: pod.initContainers ?? [],
      },
    ];
  });
}

function compact(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}
