/**
 * Grafana dashboards of one environment, generated from the same plan as the alerts: one panel per scheduled job,
 * offloaded table and tenant queue, so a new job, table or tenant gets its panel without anyone editing JSON.
 */
import { createHash } from 'crypto';
import { PLATFORM_NAMESPACES, SCHEDULED_JOB_METRIC_LABEL } from '../conventions';
import { HISTORY_SERVER_NAME } from '../platform/platform-releases';
import { MonitoredJob, MonitoringPlan, offloadStaleAfterSeconds } from './monitoring-plan';

/** A Grafana panel, reduced to the fields these dashboards use. */
export interface DashboardPanel {
  readonly id: number;
  readonly type: 'timeseries' | 'stat' | 'state-timeline' | 'row';
  readonly title: string;
  readonly description?: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: { readonly type: 'prometheus'; readonly uid: string };
  readonly targets?: readonly { readonly refId: string; readonly expr: string; readonly legendFormat?: string }[];
  readonly fieldConfig?: Record<string, unknown>;
  readonly options?: Record<string, unknown>;
}

export interface Dashboard {
  /** Also the ConfigMap name and the JSON file name. */
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly timezone: 'utc';
  readonly schemaVersion: number;
  readonly time: { readonly from: string; readonly to: string };
  readonly templating: { readonly list: readonly Record<string, unknown>[] };
  readonly panels: readonly DashboardPanel[];
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;
const WIDTH = 24;

/** Lays panels out left to right, `perRow` to a row, with a row header per section. */
class Layout {
  private readonly panels: DashboardPanel[] = [];
  private y = 0;
  private x = 0;

  section(title: string): void {
    if (this.x > 0) this.y += 8;
    this.x = 0;
    this.panels.push({ id: this.panels.length + 1, type: 'row', title, gridPos: { x: 0, y: this.y, w: WIDTH, h: 1 } });
    this.y += 1;
  }

  add(panel: Omit<DashboardPanel, 'id' | 'gridPos' | 'datasource'>, w: number): void {
    if (this.x + w > WIDTH) {
      this.x = 0;
      this.y += 8;
    }
    this.panels.push({
      ...panel,
      id: this.panels.length + 1,
      datasource: DATASOURCE,
      gridPos: { x: this.x, y: this.y, w, h: 8 },
    });
    this.x += w;
  }

  done(): DashboardPanel[] {
    return this.panels;
  }
}

/** Grafana limits a dashboard UID to 40 characters: longer ones keep a prefix and a digest of the whole. */
export function dashboardUid(environment: string, name: string): string {
  const uid = `${environment}-${name}`;
  if (uid.length <= 40) return uid;
  return `${uid.slice(0, 31)}-${createHash('sha256').update(uid).digest('hex').slice(0, 8)}`;
}

function dashboard(plan: MonitoringPlan, name: string, title: string, panels: DashboardPanel[]): Dashboard {
  return {
    uid: dashboardUid(plan.environment, name),
    title: `Data plane ${plan.environment}: ${title}`,
    tags: ['dataplane', plan.environment],
    timezone: 'utc',
    schemaVersion: 39,
    time: { from: 'now-24h', to: 'now' },
    templating: {
      list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source' }],
    },
    panels,
  };
}

const thresholds = (...steps: [number | null, string][]) => ({
  mode: 'absolute',
  steps: steps.map(([value, color]) => ({ value, color })),
});

const jobLabel = SCHEDULED_JOB_METRIC_LABEL.metricLabel;

/** Whether a run of the job is active (1) or not (0), by job: the live timeline of the report's schedule. */
function runningExpr(tenantJobs: readonly MonitoredJob[], namespace: string): string[] {
  const exprs: string[] = [];
  if (tenantJobs.some((j) => j.kind === 'ScheduledSparkApplication')) {
    exprs.push(`max by (${jobLabel}) (spark_application_running_count{namespace="${namespace}"})`);
  }
  if (tenantJobs.some((j) => j.kind === 'CronJob')) {
    exprs.push(
      `max by (owner_name) (kube_job_status_active{namespace="${namespace}"} * on (namespace, job_name) group_left (owner_name) kube_job_owner{namespace="${namespace}",owner_kind="CronJob"})`,
    );
  }
  return exprs;
}

/** Mean minutes of the job's runs over the last day (successful Spark runs; every finished run of a CronJob). */
function durationExpr(job: MonitoredJob): string {
  if (job.kind === 'ScheduledSparkApplication') {
    const s = `{namespace="${job.namespace}",${jobLabel}="${job.name}"}`;
    return `sum (increase(spark_application_success_execution_time_seconds_sum${s}[1d])) / sum (increase(spark_application_success_execution_time_seconds_count${s}[1d])) / 60`;
  }
  return (
    `avg ((kube_job_status_completion_time{namespace="${job.namespace}"} - kube_job_status_start_time{namespace="${job.namespace}"})` +
    ` * on (namespace, job_name) group_left (owner_name) kube_job_owner{namespace="${job.namespace}",owner_kind="CronJob",owner_name="${job.name}"}) / 60`
  );
}

/** The four dashboards of the plan. */
export function dataPlaneDashboards(plan: MonitoringPlan): Dashboard[] {
  const factor = plan.tuning.runtimeFactor;

  // One dashboard per tenant: a large tenant's jobs fill a dashboard, and a ConfigMap holds at most 1 MiB.
  const perTenant = [...new Set(plan.jobs.map((j) => j.tenant))].map((tenant) => {
    const jobs = new Layout();
    const mine = plan.jobs.filter((j) => j.tenant === tenant);
    jobs.section(`Tenant ${tenant}`);
    const namespaces = [...new Set(mine.map((j) => j.namespace))];
    jobs.add(
      {
        type: 'state-timeline',
        title: `${tenant}: runs`,
        description:
          'When each scheduled job of the tenant runs (1 = a run is active); compare with the report timeline.',
        targets: namespaces
          .flatMap((ns) => runningExpr(mine, ns))
          .map((expr, i) => ({
            refId: String.fromCharCode(65 + i),
            expr,
            legendFormat: `{{${jobLabel}}}{{owner_name}}`,
          })),
      },
      WIDTH,
    );
    for (const job of mine) {
      const alertAfter = Math.ceil(job.expectedRuntimeMinutes * factor);
      jobs.add(
        {
          type: 'stat',
          title: `${job.name}: mean run (min)`,
          description: `${job.kind} ${job.namespace}/${job.name}, schedule ${job.schedule}; expected ${job.expectedRuntimeMinutes} min, alert after ${alertAfter} min`,
          targets: [{ refId: 'A', expr: durationExpr(job) }],
          fieldConfig: {
            defaults: {
              unit: 'm',
              thresholds: thresholds([null, 'green'], [job.expectedRuntimeMinutes, 'yellow'], [alertAfter, 'red']),
            },
          },
        },
        6,
      );
    }
    return dashboard(plan, `jobs-${tenant}`, `scheduled jobs of ${tenant}`, jobs.done());
  });

  const offload = new Layout();
  for (const tenant of [...new Set(plan.offloadTables.map((t) => t.tenant))]) {
    offload.section(`Tenant ${tenant}`);
    for (const table of plan.offloadTables.filter((t) => t.tenant === tenant)) {
      const after = offloadStaleAfterSeconds(table);
      offload.add(
        {
          type: 'stat',
          title: `${table.table}: since last offload`,
          description: `CronJob ${table.tenant}/${table.cronJob} every ${table.periodMinutes} min; alert after ${after / 3600} h`,
          targets: [
            {
              refId: 'A',
              expr: `time() - max (kube_cronjob_status_last_successful_time{namespace="${table.tenant}",cronjob="${table.cronJob}"})`,
            },
          ],
          fieldConfig: {
            defaults: {
              unit: 's',
              thresholds: thresholds([null, 'green'], [table.periodMinutes * 60 + 600, 'yellow'], [after, 'red']),
            },
          },
        },
        6,
      );
    }
  }

  const queues = new Layout();
  queues.section('Tenant queues: allocated against guaranteed and max');
  for (const q of plan.queues) {
    for (const resource of ['vcore', 'memory'] as const) {
      queues.add(
        {
          type: 'timeseries',
          title: `${q.queue}: ${resource}`,
          description: `YuniKorn queue ${q.queue} of tenant ${q.tenant}`,
          targets: [
            {
              refId: 'A',
              expr: `max by (state) (yunikorn_queue_resource{queue="${q.queue}",resource="${resource}",state=~"allocated|pending|guaranteed|max"})`,
              legendFormat: '{{state}}',
            },
          ],
          fieldConfig: { defaults: { unit: resource === 'memory' ? 'bytes' : 'none' } },
        },
        12,
      );
    }
  }

  const services = new Layout();
  const ns = PLATFORM_NAMESPACES;
  const series = (title: string, description: string, expr: string, legendFormat: string, unit = 'short') =>
    services.add(
      {
        type: 'timeseries',
        title,
        description,
        targets: [{ refId: 'A', expr, legendFormat }],
        fieldConfig: { defaults: { unit } },
      },
      12,
    );
  services.section('Polaris');
  series(
    'Polaris requests by status',
    'Quarkus HTTP server requests',
    `sum by (status) (rate(http_server_requests_seconds_count{namespace="${ns.polaris}"}[5m]))`,
    '{{status}}',
    'reqps',
  );
  series(
    'Polaris mean latency',
    'Mean request duration',
    `sum (rate(http_server_requests_seconds_sum{namespace="${ns.polaris}"}[5m])) / sum (rate(http_server_requests_seconds_count{namespace="${ns.polaris}"}[5m]))`,
    'mean',
    's',
  );
  services.section('Spark Operator');
  series(
    'Applications submitted and failed',
    'Operator counters per tenant namespace',
    'sum by (namespace) (rate(spark_application_submit_count[1h])) * 3600',
    'submitted {{namespace}}',
  );
  series(
    'Webhook requests by code',
    'Admission requests the webhook answered',
    `sum by (webhook, code) (rate(controller_runtime_webhook_requests_total{namespace="${ns.sparkOperator}"}[5m]))`,
    '{{webhook}} {{code}}',
    'reqps',
  );
  series(
    'Application start latency (p90)',
    'Submission to running',
    'histogram_quantile(0.9, sum by (le) (rate(spark_application_start_latency_seconds_histogram_bucket[1h])))',
    'p90',
    's',
  );
  services.section('Availability');
  series('Scrape targets up', 'One line per component', 'sum by (component) (up{component!=""})', '{{component}}');
  series(
    'History Server replicas available',
    'kube-state-metrics',
    `max by (deployment) (kube_deployment_status_replicas_available{namespace="${ns.historyServer}",deployment=~"${HISTORY_SERVER_NAME}-.*"})`,
    '{{deployment}}',
  );

  return [
    ...perTenant,
    dashboard(plan, 'offload-freshness', 'offload freshness', offload.done()),
    dashboard(plan, 'tenant-queues', 'tenant queues', queues.done()),
    dashboard(plan, 'services', 'Polaris and operator health', services.done()),
  ];
}
