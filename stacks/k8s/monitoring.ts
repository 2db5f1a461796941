import { ApiObject, Chart } from 'cdk8s';
import { EnvironmentConfig, KubeObject, parseCronSchedule } from '../../config';
import { tenantQueue } from '../../constructs/conventions';
import {
  DataPlaneAlerts,
  DataPlaneDashboards,
  DataPlaneMonitors,
  MonitoredOffloadTable,
  MonitoringPlan,
  prometheusTarget,
  resolveTuning,
  ScrapeNetworkPolicies,
} from '../../constructs/monitoring';
import { ClickHouseOffload } from '../../constructs/offload';
import { scheduledJobs } from '../report/jobs';

/** Minutes between consecutive runs of an hourly-or-faster cron (the offloads' `<minute> * * * *`). */
function periodMinutes(schedule: string): number {
  const { minute } = parseCronSchedule(schedule);
  const minutes = [...minute.values].sort((a, b) => a - b);
  const gaps = minutes.map((m, i) => (i + 1 < minutes.length ? minutes[i + 1] - m : 60 - m + minutes[0]));
  return Math.max(...gaps);
}

/**
 * The monitoring plan of an environment: its scheduled jobs as synthesized into `workloads` (every ScheduledSparkApplication
 * and CronJob with its expected runtime, the same objects `npm run report` reads), its offloaded tables with the timing
 * of their runs, and one queue per tenant.
 */
export function monitoringPlan(
  env: EnvironmentConfig,
  workloads: Chart,
  offloads: readonly ClickHouseOffload[],
): MonitoringPlan {
  const scheduled = workloads.node
    .findAll()
    .filter(
      (c): c is ApiObject => c instanceof ApiObject && (c.kind === 'ScheduledSparkApplication' || c.kind === 'CronJob'),
    )
    .map((o) => o.toJson() as KubeObject);
  const jobs = scheduledJobs(scheduled).map((j) => ({
    kind: j.kind,
    name: j.name,
    namespace: j.namespace,
    tenant: j.tenant,
    schedule: j.schedule,
    expectedRuntimeMinutes: j.runtimeMinutes,
  }));
  const offloadTables: MonitoredOffloadTable[] = (env.offload?.runs ?? []).flatMap((run, r) =>
    run.tables.map((table, i) => ({
      tenant: run.tenant,
      cronJob: offloads[r].jobName,
      table: `${table.target.namespace}.${table.target.table}`,
      periodMinutes: periodMinutes(run.schedule),
      lagHours: env.offload!.lagHours,
      allowedLatenessHours: table.allowedLatenessHours,
      ttlHours: table.ttlHours,
      outageToleranceHours: env.offload!.outageToleranceHours,
      source: `offload.runs[${r}].tables[${i}]`,
    })),
  );
  return {
    environment: env.name,
    target: prometheusTarget(env.monitoring),
    jobs,
    offloadTables,
    queues: env.tenants.map((t) => ({ tenant: t.name, queue: tenantQueue(t.name) })),
    tuning: resolveTuning(env.monitoring.alerts),
  };
}

/** Adds the scrape objects, network policies, alerts and dashboards of the plan to `chart`. */
export function addMonitoring(chart: Chart, env: EnvironmentConfig, plan: MonitoringPlan): void {
  const tenantNamespaces = env.tenants.map((t) => t.name);
  new DataPlaneMonitors(chart, 'monitors', { target: plan.target, tenantNamespaces });
  new ScrapeNetworkPolicies(chart, 'scrape-network-policies', { target: plan.target, tenantNamespaces });
  new DataPlaneAlerts(chart, 'alerts', { plan });
  new DataPlaneDashboards(chart, 'dashboards', { plan });
}
