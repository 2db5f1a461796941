/**
 * What the monitoring objects of one environment are generated from: its scheduled jobs, offloaded tables and tenant
 * queues (the same config and objects the jobs come from), the Prometheus they are for, and the alert thresholds.
 */
import { AlertTuning, durationMinutes, ExistingPrometheusConfig, MonitoringConfig } from '../../config';
import { MONITORING } from '../conventions';

/** A ScheduledSparkApplication or offload CronJob, as synthesized. */
export interface MonitoredJob {
  readonly kind: 'ScheduledSparkApplication' | 'CronJob';
  readonly name: string;
  readonly namespace: string;
  readonly tenant: string;
  readonly schedule: string;
  /** Its `dataplane.io/expected-runtime-minutes`. */
  readonly expectedRuntimeMinutes: number;
}

/** One offloaded table and the timing its offload run uses. */
export interface MonitoredOffloadTable {
  readonly tenant: string;
  /** The offload CronJob writing the table (one run may offload several tables). */
  readonly cronJob: string;
  /** `namespace.table` in the Iceberg catalog. */
  readonly table: string;
  /** Minutes between two runs of the CronJob (offloads are hourly). */
  readonly periodMinutes: number;
  readonly lagHours: number;
  readonly allowedLatenessHours: number;
  readonly ttlHours: number;
  readonly outageToleranceHours: number;
  /** Where the table is configured (e.g. `offload.runs[0].tables[1]`), for error messages. */
  readonly source: string;
}

/** A tenant's YuniKorn leaf queue. */
export interface MonitoredQueue {
  readonly tenant: string;
  /** Full queue path, e.g. `root.tenants.trading`. */
  readonly queue: string;
}

/** The Prometheus the objects are for: where it runs, which pods scrape and which labels it selects objects by. */
export interface PrometheusTarget {
  /** Namespace of the Prometheus pods and of the emitted monitors, rules and dashboards. */
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly selectorLabels: Readonly<Record<string, string>>;
}

/** Alert thresholds with every default applied. */
export type ResolvedAlertTuning = Required<Omit<AlertTuning, 'queueSaturationWindow'>> & {
  readonly queueSaturationWindowMinutes: number;
};

/** Defaults of the alert thresholds (`monitoring.alerts` in the environment overrides each). */
export const ALERT_TUNING_DEFAULTS = {
  runtimeFactor: 1.5,
  queueSaturationRatio: 0.9,
  queueSaturationWindow: '30m',
  polarisErrorRatio: 0.05,
  polarisLatencySeconds: 1,
} as const;

/** Everything the monitoring constructs generate from. */
export interface MonitoringPlan {
  readonly environment: string;
  readonly target: PrometheusTarget;
  readonly jobs: readonly MonitoredJob[];
  readonly offloadTables: readonly MonitoredOffloadTable[];
  readonly queues: readonly MonitoredQueue[];
  readonly tuning: ResolvedAlertTuning;
}

/** The stack's Prometheus (kube-prometheus-stack selects objects labelled with its release) or the declared one. */
export function prometheusTarget(config: MonitoringConfig): PrometheusTarget {
  const existing: ExistingPrometheusConfig | undefined = config.existingPrometheus;
  if (existing) return existing;
  return {
    namespace: MONITORING.namespace,
    podLabels: MONITORING.prometheusPodLabels,
    selectorLabels: { release: MONITORING.release },
  };
}

export function resolveTuning(tuning: AlertTuning = {}): ResolvedAlertTuning {
  const d = ALERT_TUNING_DEFAULTS;
  return {
    runtimeFactor: tuning.runtimeFactor ?? d.runtimeFactor,
    queueSaturationRatio: tuning.queueSaturationRatio ?? d.queueSaturationRatio,
    queueSaturationWindowMinutes: durationMinutes(tuning.queueSaturationWindow ?? d.queueSaturationWindow),
    polarisErrorRatio: tuning.polarisErrorRatio ?? d.polarisErrorRatio,
    polarisLatencySeconds: tuning.polarisLatencySeconds ?? d.polarisLatencySeconds,
  };
}

/**
 * Hours after an offload's last successful run until data can be lost: the run refuses a watermark older than the
 * outage tolerance (those hours then need a backfill before ClickHouse's TTL deletes them), and a row of the newest hour
 * the run had not yet closed (lag + lateness + the hour itself) is deleted `ttlHours` after its hour began.
 */
export function lossHorizonHours(t: MonitoredOffloadTable): number {
  return Math.min(t.outageToleranceHours, t.ttlHours - t.lagHours - t.allowedLatenessHours - 1);
}

/**
 * Seconds since the last successful run after which the table's freshness alert fires: one schedule period plus a
 * margin of one more period (a run was missed or failed and the next one did not catch up), but never later than one
 * period before the loss horizon, so the alert always leaves at least a run's worth of time to act.
 */
export function offloadStaleAfterSeconds(t: MonitoredOffloadTable): number {
  const period = t.periodMinutes * 60;
  const horizon = lossHorizonHours(t) * 3600;
  const margin = Math.min(period, horizon - 2 * period);
  return period + Math.max(0, margin);
}
