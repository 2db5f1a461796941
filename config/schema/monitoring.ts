import { z } from 'zod';
import { isDuration } from '../duration';
import { count, dnsLabel, quantity } from './common';
import { ContainerResourcesSchema } from './services';

const duration = z.string().refine(isDuration, 'a duration such as 30m, 24h or 15d');

/** Kubernetes label keys and values (the API server's rules are checked again by `npm run validate`). */
const labels = z.record(
  z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'a label key'),
  z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, 'a label value'),
);

/** An Amazon Managed Service for Prometheus workspace ARN: `arn:aws:aps:<region>:<account>:workspace/<id>`. */
export const AMP_WORKSPACE_ARN =
  /^arn:aws[a-z-]*:aps:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):workspace\/(ws-[A-Za-z0-9-]+)$/;

/** The kube-prometheus-stack release the platform layer installs; every key falls back to the release's default. */
export const MonitoringStackSchema = z.strictObject({
  prometheus: z
    .strictObject({
      /** Prometheus replicas (each scrapes everything; two survive a node drain). */
      replicas: count(1).optional(),
      resources: ContainerResourcesSchema.optional(),
      /** How long samples are kept in the cluster. */
      retention: duration.optional(),
      /** Size of each replica's persistent volume. */
      storage: quantity('storage').optional(),
    })
    .optional(),
  alertmanager: z
    .strictObject({ replicas: count(1).optional(), resources: ContainerResourcesSchema.optional() })
    .optional(),
  grafana: z.strictObject({ resources: ContainerResourcesSchema.optional() }).optional(),
  operator: z.strictObject({ resources: ContainerResourcesSchema.optional() }).optional(),
  kubeStateMetrics: z.strictObject({ resources: ContainerResourcesSchema.optional() }).optional(),
  /**
   * Also send every sample to Amazon Managed Service for Prometheus (SigV4-signed remote write; Prometheus gets
   * `aps:RemoteWrite` on this workspace only, through EKS Pod Identity).
   */
  remoteWrite: z
    .strictObject({
      workspaceArn: z
        .string()
        .regex(AMP_WORKSPACE_ARN, 'an AMP workspace ARN arn:aws:aps:<region>:<account>:workspace/ws-…'),
    })
    .optional(),
});

/** A Prometheus (Operator) the environment already runs: only the scrape, rule and dashboard objects are emitted. */
export const ExistingPrometheusSchema = z.strictObject({
  /** Namespace of its Prometheus pods (scrapes are admitted from there) and of the emitted objects. */
  namespace: dnsLabel(),
  /** Labels of its Prometheus pods; network policies admit scrapes from pods with all of them. */
  podLabels: labels.refine((l) => Object.keys(l).length > 0, 'at least one label'),
  /** Labels its `podMonitorSelector`, `serviceMonitorSelector` and `ruleSelector` match (put on every emitted object). */
  selectorLabels: labels.refine((l) => Object.keys(l).length > 0, 'at least one label'),
});

/** Thresholds of the generated alerts; defaults in `constructs/monitoring/alert-rules.ts`. */
export const AlertTuningSchema = z.strictObject({
  /** A scheduled job alerts when a run takes longer than its expected runtime times this factor. */
  runtimeFactor: z.number().min(1, 'a factor >= 1').optional(),
  /** Share of a tenant queue's max (vcore or memory) above which the queue counts as saturated. */
  queueSaturationRatio: z.number().gt(0, 'a ratio in (0, 1]').max(1, 'a ratio in (0, 1]').optional(),
  /** How long a queue stays saturated, or resources stay pending in it, before the alert fires. */
  queueSaturationWindow: duration.optional(),
  /** Share of Polaris requests answered 5xx above which the error alert fires. */
  polarisErrorRatio: z.number().gt(0, 'a ratio in (0, 1]').max(1, 'a ratio in (0, 1]').optional(),
  /** Mean Polaris request latency (seconds) above which the latency alert fires. */
  polarisLatencySeconds: z.number().positive('a positive number of seconds').optional(),
});

/** Metrics, alerts and dashboards: the stack this package installs (default) or an existing Prometheus. */
export const MonitoringSchema = z
  .strictObject({
    stack: MonitoringStackSchema.optional(),
    existingPrometheus: ExistingPrometheusSchema.optional(),
    alerts: AlertTuningSchema.optional(),
  })
  .superRefine((m, ctx) => {
    if (m.stack && m.existingPrometheus) {
      ctx.addIssue({
        code: 'custom',
        path: ['existingPrometheus'],
        message: 'either `stack` (this package installs kube-prometheus-stack) or `existingPrometheus`, not both',
      });
    }
  });

export type MonitoringConfig = z.infer<typeof MonitoringSchema>;
export type MonitoringStackConfig = z.infer<typeof MonitoringStackSchema>;
export type ExistingPrometheusConfig = z.infer<typeof ExistingPrometheusSchema>;
export type AlertTuning = z.infer<typeof AlertTuningSchema>;
