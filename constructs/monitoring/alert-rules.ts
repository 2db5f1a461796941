/**
 * The alerting rules of one environment, as Prometheus rule groups (the `spec` of a PrometheusRule, and what
 * `promtool check rules` reads). Every expression aggregates to a fixed label set, so each alert's labels are known.
 */
import { PLATFORM_NAMESPACES, SCHEDULED_JOB_METRIC_LABEL } from '../conventions';
import { HISTORY_SERVER_NAME } from '../platform/platform-releases';
import { lossHorizonHours, MonitoringPlan, offloadStaleAfterSeconds } from './monitoring-plan';
import { PLATFORM_SCRAPE_TARGETS } from './scrape-targets';

/** One alerting rule as Prometheus reads it. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly interval: string;
  readonly rules: readonly AlertRule[];
}

/** The label set every firing alert of a rule carries: its expression's output labels plus the rule's own labels. */
export interface AlertSpec {
  readonly rule: AlertRule;
  /** Labels the expression returns (each alert's labels are these plus `rule.labels`). */
  readonly outputLabels: Readonly<Record<string, string>>;
  /** What the alert watches, for tests and dashboards: the kind and its parameters. */
  readonly watch: AlertWatch;
}

export type AlertWatch =
  | {
      readonly kind: 'offload-stale';
      readonly namespace: string;
      readonly cronJob: string;
      readonly table: string;
      readonly afterSeconds: number;
    }
  | { readonly kind: 'spark-job-failed'; readonly namespace: string; readonly job: string }
  | { readonly kind: 'spark-job-long'; readonly namespace: string; readonly job: string; readonly afterMinutes: number }
  | {
      readonly kind: 'cron-job-failed';
      readonly namespace: string;
      readonly job: string;
      readonly windowSeconds: number;
    }
  | { readonly kind: 'cron-job-long'; readonly namespace: string; readonly job: string; readonly afterSeconds: number }
  | { readonly kind: 'queue-saturated'; readonly queue: string; readonly ratio: number; readonly minutes: number }
  | { readonly kind: 'queue-pending'; readonly queue: string; readonly ratio: number; readonly minutes: number }
  | { readonly kind: 'polaris-errors'; readonly ratio: number }
  | { readonly kind: 'polaris-latency'; readonly seconds: number }
  | { readonly kind: 'target-down'; readonly namespace: string; readonly component: string }
  | { readonly kind: 'webhook-errors'; readonly namespace: string }
  | { readonly kind: 'history-server-down'; readonly namespace: string; readonly deployment: string };

/** The README section with one runbook line per alert. */
export const RUNBOOK = 'README.md#alert-runbooks';

const sel = (labels: Readonly<Record<string, string>>) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
const minutes = (m: number) => `${m}m`;
/** Minutes a factor of the expected runtime amounts to, rounded up to whole minutes (PromQL `for` durations). */
const scaledMinutes = (expected: number, factor: number) => Math.ceil(expected * factor);

function spec(
  alert: string,
  expr: string,
  labels: Record<string, string>,
  outputLabels: Record<string, string>,
  summary: string,
  watch: AlertWatch,
  timing: { for?: string; keep_firing_for?: string } = {},
): AlertSpec {
  return {
    rule: { alert, expr, ...timing, labels, annotations: { summary, runbook_url: RUNBOOK } },
    outputLabels,
    watch,
  };
}

/** Every alert of the plan, grouped as they are written into the PrometheusRule. */
export function alertSpecs(plan: MonitoringPlan): { readonly group: string; readonly specs: readonly AlertSpec[] }[] {
  const t = plan.tuning;
  const offload = plan.offloadTables.map((table) => {
    const after = offloadStaleAfterSeconds(table);
    const s = sel({ namespace: table.tenant, cronjob: table.cronJob });
    const by = 'max by (namespace, cronjob)';
    // A CronJob that never succeeded has no last-successful-time series: its age counts from its creation.
    const expr =
      `(time() - ${by} (kube_cronjob_status_last_successful_time${s})) > ${after}\n` +
      `or ((time() - ${by} (kube_cronjob_created${s})) > ${after} unless on (namespace, cronjob) kube_cronjob_status_last_successful_time${s})`;
    return spec(
      'DataplaneOffloadTableStale',
      expr,
      { severity: 'critical', tenant: table.tenant, table: table.table },
      { namespace: table.tenant, cronjob: table.cronJob },
      `${table.table} has not been offloaded for more than ${after / 3600} h; rows can be lost ${lossHorizonHours(table)} h after the last successful run`,
      {
        kind: 'offload-stale',
        namespace: table.tenant,
        cronJob: table.cronJob,
        table: table.table,
        afterSeconds: after,
      },
    );
  });

  const jobLabel = SCHEDULED_JOB_METRIC_LABEL.metricLabel;
  const jobs = plan.jobs.flatMap((job) => {
    // The job's name as a rule label too: promtool's lint (and Alertmanager's grouping) tell the rules apart by it.
    const labels = { severity: 'warning', tenant: job.tenant, scheduled_job: job.name };
    const long = scaledMinutes(job.expectedRuntimeMinutes, t.runtimeFactor);
    const runtime = `${job.expectedRuntimeMinutes} min expected, alert after ${long} min`;
    if (job.kind === 'ScheduledSparkApplication') {
      const s = sel({ namespace: job.namespace, [jobLabel]: job.name });
      const out = { namespace: job.namespace, [jobLabel]: job.name };
      const by = `max by (namespace, ${jobLabel})`;
      // The operator creates a counter series on its first increment, which increase() cannot see: a series that
      // exists now but did not an hour ago is a new failure too.
      const failures = `spark_application_failure_count${s}`;
      return [
        spec(
          'DataplaneScheduledJobFailed',
          `${by} (increase(${failures}[1h])) > 0\nor ${by} (${failures} unless ${failures} offset 1h)`,
          labels,
          out,
          `a run of ${job.namespace}/${job.name} failed`,
          { kind: 'spark-job-failed', namespace: job.namespace, job: job.name },
        ),
        spec(
          'DataplaneScheduledJobRunningLong',
          `${by} (spark_application_running_count${s}) > 0`,
          labels,
          out,
          `${job.namespace}/${job.name} has been running longer than ${t.runtimeFactor} x its expected runtime (${runtime})`,
          { kind: 'spark-job-long', namespace: job.namespace, job: job.name, afterMinutes: long },
          { for: minutes(long) },
        ),
      ];
    }
    const ns = sel({ namespace: job.namespace });
    const owner = sel({ namespace: job.namespace, owner_kind: 'CronJob', owner_name: job.name });
    const out = { namespace: job.namespace, owner_name: job.name };
    const window = 2 * 3600;
    return [
      spec(
        'DataplaneScheduledJobFailed',
        `max by (namespace, owner_name) (\n  (kube_job_failed{namespace="${job.namespace}",condition="true"} == 1)\n` +
          `  * on (namespace, job_name) group_left (owner_name) kube_job_owner${owner}\n` +
          `  and on (namespace, job_name) ((time() - kube_job_status_start_time${ns}) < ${window})\n)`,
        labels,
        out,
        `a run of ${job.namespace}/${job.name} failed (all its retries)`,
        { kind: 'cron-job-failed', namespace: job.namespace, job: job.name, windowSeconds: window },
      ),
      spec(
        'DataplaneScheduledJobRunningLong',
        `max by (namespace, owner_name) (\n  (time() - kube_job_status_start_time${ns})\n` +
          `  * on (namespace, job_name) group_left (owner_name) kube_job_owner${owner}\n` +
          `  and on (namespace, job_name) kube_job_status_active${ns} > 0\n) > ${long * 60}`,
        labels,
        out,
        `${job.namespace}/${job.name} has been running longer than ${t.runtimeFactor} x its expected runtime (${runtime})`,
        { kind: 'cron-job-long', namespace: job.namespace, job: job.name, afterSeconds: long * 60 },
      ),
    ];
  });

  const window = t.queueSaturationWindowMinutes;
  const queues = plan.queues.flatMap((q) => {
    const state = (s: string) => `yunikorn_queue_resource{queue="${q.queue}",state="${s}",resource=~"vcore|memory"}`;
    const usage = `max by (queue) (${state('allocated')} / ignoring (state) ${state('max')})`;
    const labels = { severity: 'warning', tenant: q.tenant };
    return [
      spec(
        'DataplaneTenantQueueSaturated',
        `${usage} >= ${t.queueSaturationRatio}`,
        labels,
        { queue: q.queue },
        `queue ${q.queue} has used at least ${t.queueSaturationRatio * 100}% of its max for ${window} min`,
        { kind: 'queue-saturated', queue: q.queue, ratio: t.queueSaturationRatio, minutes: window },
        { for: minutes(window) },
      ),
      spec(
        'DataplaneTenantPodsPendingOnQuota',
        `max by (queue) (${state('pending')}) > 0\nand on (queue) ${usage} >= ${t.queueSaturationRatio}`,
        labels,
        { queue: q.queue },
        `pods of tenant ${q.tenant} have waited ${window} min for their queue's max (the tenant budget)`,
        { kind: 'queue-pending', queue: q.queue, ratio: t.queueSaturationRatio, minutes: window },
        { for: minutes(window) },
      ),
    ];
  });

  const target = (name: string) => PLATFORM_SCRAPE_TARGETS.find((t) => t.name === name)!;
  const polaris = target('polaris');
  const webhook = target('spark-operator-webhook');
  const requests = (extra = '') => `http_server_requests_seconds_count{namespace="${polaris.namespace}"${extra}}`;
  const critical = { severity: 'critical' };
  const services = [
    spec(
      'DataplanePolarisErrors',
      `sum (rate(${requests(',status=~"5.."')}[5m])) / sum (rate(${requests()}[5m])) > ${t.polarisErrorRatio}`,
      critical,
      {},
      `more than ${t.polarisErrorRatio * 100}% of Polaris requests fail with 5xx`,
      { kind: 'polaris-errors', ratio: t.polarisErrorRatio },
      { for: '10m' },
    ),
    spec(
      'DataplanePolarisSlow',
      `sum (rate(http_server_requests_seconds_sum{namespace="${polaris.namespace}"}[5m])) / sum (rate(${requests()}[5m])) > ${t.polarisLatencySeconds}`,
      { severity: 'warning' },
      {},
      `Polaris answers in more than ${t.polarisLatencySeconds} s on average`,
      { kind: 'polaris-latency', seconds: t.polarisLatencySeconds },
      { for: '10m' },
    ),
    ...PLATFORM_SCRAPE_TARGETS.map((scraped) =>
      spec(
        'DataplaneServiceDown',
        // absent() of a filtered expression returns no labels: the rule names the component itself.
        `absent (up${sel({ namespace: scraped.namespace, component: scraped.name })} == 1)`,
        { ...critical, namespace: scraped.namespace, component: scraped.name },
        {},
        `no ${scraped.name} pod answers its metrics scrape`,
        { kind: 'target-down', namespace: scraped.namespace, component: scraped.name },
        { for: '5m' },
      ),
    ),
    spec(
      'DataplaneSparkOperatorWebhookFailing',
      `sum by (namespace) (rate(controller_runtime_webhook_requests_total{namespace="${webhook.namespace}",component="${webhook.name}",code=~"5.."}[5m])) > 0`,
      critical,
      { namespace: webhook.namespace },
      'the Spark Operator webhook answers admission requests with errors: Spark pods are not created',
      { kind: 'webhook-errors', namespace: webhook.namespace },
      { for: '5m' },
    ),
    // One History Server per tenant (`spark-history-server-<tenant>`).
    ...plan.queues.map(({ tenant }) => {
      const history = { namespace: PLATFORM_NAMESPACES.historyServer, deployment: `${HISTORY_SERVER_NAME}-${tenant}` };
      return spec(
        'DataplaneSparkHistoryServerDown',
        `max by (namespace, deployment) (kube_deployment_status_replicas_available${sel(history)}) < 1`,
        { severity: 'warning', tenant },
        history,
        `the Spark History Server of ${tenant} has no available replica`,
        { kind: 'history-server-down', ...history },
        { for: '10m' },
      );
    }),
  ];
  return [
    { group: 'dataplane-offload-freshness', specs: offload },
    { group: 'dataplane-scheduled-jobs', specs: jobs },
    { group: 'dataplane-tenant-queues', specs: queues },
    { group: 'dataplane-services', specs: services },
  ];
}

/** The rule groups of the plan (empty groups left out: Prometheus accepts them, but they say nothing). */
export function alertRuleGroups(plan: MonitoringPlan): RuleGroup[] {
  return alertSpecs(plan)
    .filter((g) => g.specs.length > 0)
    .map((g) => ({ name: g.group, interval: '1m', rules: g.specs.map((s) => s.rule) }));
}
