import { PLATFORM_NAMESPACES } from '../conventions';

/**
 * The Helm releases the Pulumi program installs (release name and namespace) and the pod labels each chart puts on its
 * components. Network policies select the pods by these labels, so they live beside the release names they derive from.
 */
export const PLATFORM_RELEASES = {
  sparkOperator: {
    release: 'spark-operator',
    namespace: PLATFORM_NAMESPACES.sparkOperator,
    /** Selector labels of the chart's controller and webhook Deployments (`spark-operator.*.selectorLabels`). */
    pods: {
      controller: {
        'app.kubernetes.io/name': 'spark-operator',
        'app.kubernetes.io/instance': 'spark-operator',
        'app.kubernetes.io/component': 'controller',
      },
      webhook: {
        'app.kubernetes.io/name': 'spark-operator',
        'app.kubernetes.io/instance': 'spark-operator',
        'app.kubernetes.io/component': 'webhook',
      },
    },
    /** Health probes of both Deployments. */
    probePort: 8081,
  },
  yunikorn: {
    release: 'yunikorn',
    namespace: PLATFORM_NAMESPACES.yunikorn,
    pods: { scheduler: { app: 'yunikorn', component: 'yunikorn-scheduler' } },
    /** The scheduler's REST port: the admission controller validates queue configs through it (and probes use it). */
    schedulerRestPort: 9080,
  },
  polaris: {
    release: 'polaris',
    namespace: PLATFORM_NAMESPACES.polaris,
    pods: { server: { 'app.kubernetes.io/name': 'polaris', 'app.kubernetes.io/instance': 'polaris' } },
  },
} as const;

/** Name of the Spark History Server's Deployment, Service and ConfigMap (our own objects). */
export const HISTORY_SERVER_NAME = 'spark-history-server';

/** Labels of the Spark History Server pods (our own Deployment). */
export const HISTORY_SERVER_POD_LABELS = { 'app.kubernetes.io/name': 'spark-history-server' } as const;

/** Labels of the Polaris provisioning Job's pods. */
export const POLARIS_PROVISIONER_POD_LABELS = { 'app.kubernetes.io/name': 'polaris-provisioner' } as const;

/** Port of the Spark History Server UI and REST API. */
export const HISTORY_SERVER_PORT = 18080;
