/**
 * Replicas and container resources of the Helm releases, where `services` in the environment does not set them, and the
 * long-running pods they resolve to. Free of Pulumi so `npm run report` can count what the releases hold around the
 * clock from the same values the releases are installed with.
 */
import { ContainerResources, MonitoringConfig, ServicesConfig } from '../../config';
import { MONITORING } from '../conventions';
import { PLATFORM_RELEASES } from '../platform/platform-releases';

export const RELEASE_DEFAULTS: {
  readonly sparkOperator: {
    readonly controllerReplicas: number;
    readonly webhookReplicas: number;
    readonly controllerResources: ContainerResources;
    readonly webhookResources: ContainerResources;
  };
  readonly yunikorn: {
    readonly schedulerResources: ContainerResources;
    readonly admissionControllerReplicas: number;
    readonly admissionControllerResources: ContainerResources;
  };
  readonly polaris: { readonly replicas: number; readonly resources: ContainerResources };
  readonly monitoring: {
    readonly prometheus: {
      readonly replicas: number;
      readonly resources: ContainerResources;
      readonly retention: string;
      readonly storage: string;
    };
    readonly alertmanager: { readonly replicas: number; readonly resources: ContainerResources };
    readonly grafana: { readonly resources: ContainerResources };
    readonly operator: { readonly resources: ContainerResources };
    readonly kubeStateMetrics: { readonly resources: ContainerResources };
  };
} = {
  sparkOperator: {
    controllerReplicas: 1,
    webhookReplicas: 1,
    controllerResources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
    webhookResources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  },
  yunikorn: {
    schedulerResources: { requests: { cpu: '200m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
    admissionControllerReplicas: 1,
    admissionControllerResources: {
      requests: { cpu: '100m', memory: '500Mi' },
      limits: { cpu: '500m', memory: '500Mi' },
    },
  },
  polaris: {
    replicas: 1,
    resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
  },
  monitoring: {
    prometheus: {
      replicas: 1,
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      retention: '15d',
      storage: '50Gi',
    },
    alertmanager: {
      replicas: 1,
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
    },
    grafana: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
    operator: { resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
    kubeStateMetrics: {
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    },
  },
};

/** One long-running workload a release installs. */
export interface ReleaseWorkload {
  readonly release: string;
  readonly namespace: string;
  readonly component: string;
  readonly replicas: number;
  readonly resources: ContainerResources;
}

/**
 * The long-running workloads of the Helm releases for the environment's `services` and `monitoring` settings (the
 * monitoring stack counts only when this package installs it).
 */
export function releaseWorkloads(services: ServicesConfig = {}, monitoring: MonitoringConfig = {}): ReleaseWorkload[] {
  const { sparkOperator, yunikorn, polaris } = PLATFORM_RELEASES;
  const so = services.sparkOperator ?? {};
  const yk = services.yunikorn ?? {};
  const pl = services.polaris ?? {};
  const d = RELEASE_DEFAULTS;
  return [
    {
      ...sparkOperator,
      component: 'controller',
      replicas: so.controllerReplicas ?? d.sparkOperator.controllerReplicas,
      resources: so.controllerResources ?? d.sparkOperator.controllerResources,
    },
    {
      ...sparkOperator,
      component: 'webhook',
      replicas: so.webhookReplicas ?? d.sparkOperator.webhookReplicas,
      resources: so.webhookResources ?? d.sparkOperator.webhookResources,
    },
    // The chart runs one scheduler; its embedded web UI container has no typed resources.
    {
      ...yunikorn,
      component: 'scheduler',
      replicas: 1,
      resources: yk.schedulerResources ?? d.yunikorn.schedulerResources,
    },
    {
      ...yunikorn,
      component: 'admission-controller',
      replicas: yk.admissionControllerReplicas ?? d.yunikorn.admissionControllerReplicas,
      resources: yk.admissionControllerResources ?? d.yunikorn.admissionControllerResources,
    },
    {
      ...polaris,
      component: 'server',
      replicas: pl.replicas ?? d.polaris.replicas,
      resources: pl.resources ?? d.polaris.resources,
    },
    ...monitoringWorkloads(monitoring),
  ].map(({ release, namespace, component, replicas, resources }) => ({
    release,
    namespace,
    component,
    replicas,
    resources,
  }));
}

/** kube-prometheus-stack's long-running pods (Grafana's sidecars and the config reloaders have no typed resources). */
function monitoringWorkloads(monitoring: MonitoringConfig): ReleaseWorkload[] {
  if (monitoring.existingPrometheus) return [];
  const m = monitoring.stack ?? {};
  const d = RELEASE_DEFAULTS.monitoring;
  const at = { release: MONITORING.release, namespace: MONITORING.namespace };
  return [
    {
      ...at,
      component: 'prometheus',
      replicas: m.prometheus?.replicas ?? d.prometheus.replicas,
      resources: m.prometheus?.resources ?? d.prometheus.resources,
    },
    {
      ...at,
      component: 'alertmanager',
      replicas: m.alertmanager?.replicas ?? d.alertmanager.replicas,
      resources: m.alertmanager?.resources ?? d.alertmanager.resources,
    },
    { ...at, component: 'grafana', replicas: 1, resources: m.grafana?.resources ?? d.grafana.resources },
    { ...at, component: 'operator', replicas: 1, resources: m.operator?.resources ?? d.operator.resources },
    {
      ...at,
      component: 'kube-state-metrics',
      replicas: 1,
      resources: m.kubeStateMetrics?.resources ?? d.kubeStateMetrics.resources,
    },
  ];
}
