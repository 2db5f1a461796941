import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { ENVIRONMENT_NAMES, loadEnvironment } from '../../config';
import { SCHEDULED_JOB_METRIC_LABEL, tenantQueue } from '../../constructs/conventions';
import { Dashboard, DataPlaneAlerts, lossHorizonHours, offloadStaleAfterSeconds } from '../../constructs/monitoring';
import { KubeObject } from '../../config';
import { buildDataPlane } from '../../stacks/k8s';

// Each offload table, scheduled job and tenant queue of every environment has its alert and its dashboard panel. The
// expected lists come from the environment file and the synthesized workloads, the alerts and panels from the
// synthesized monitoring objects, so a job added anywhere without monitoring fails here.
describe.each(ENVIRONMENT_NAMES)('monitoring coverage of %s', (envName) => {
  const env = loadEnvironment(envName);
  const charts = buildDataPlane(new App(), env);
  const workloads = charts.workloads.toJson() as KubeObject[];
  const monitoring = charts.monitoring.toJson() as KubeObject[];
  const rules = monitoring
    .filter((o) => o.kind === 'PrometheusRule')
    .flatMap((o: any) => o.spec.groups.flatMap((g: any) => g.rules));
  const dashboards: Dashboard[] = monitoring
    .filter((o: any) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1')
    .flatMap((o: any) => Object.values(o.data as Record<string, string>).map((json) => JSON.parse(json)));
  const panelExprs = dashboards.flatMap((d) => d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)));
  const alertsNamed = (name: string) => rules.filter((r: any) => r.alert === name);

  test('every offload table has its freshness alert, firing before rows can be lost, and a panel', () => {
    const tables = (env.offload?.runs ?? []).flatMap((run) =>
      run.tables.map((t) => ({ tenant: run.tenant, run: run.name, table: `${t.target.namespace}.${t.target.table}` })),
    );
    expect(tables.length).toBe(env.offload?.runs.reduce((n, r) => n + r.tables.length, 0) ?? 0);
    for (const t of tables) {
      const cronJob = workloads.find(
        (o: any) => o.kind === 'CronJob' && o.metadata.labels?.['dataplane.io/offload'] === t.run,
      )!.metadata.name;
      const stale = alertsNamed('DataplaneOffloadTableStale').filter((r: any) => r.labels.table === t.table);
      expect(stale).toHaveLength(1);
      expect(stale[0].expr).toContain(`cronjob="${cronJob}"`);
      expect(panelExprs.some((e) => e.includes(`cronjob="${cronJob}"`))).toBe(true);
    }
    const alerts = charts.monitoring.node.findAll().find((c): c is DataPlaneAlerts => c instanceof DataPlaneAlerts)!;
    expect(alerts.plan.offloadTables.map((t) => t.table)).toEqual(tables.map((t) => t.table));
    for (const table of alerts.plan.offloadTables) {
      expect(offloadStaleAfterSeconds(table)).toBeLessThan(lossHorizonHours(table) * 3600);
      expect(offloadStaleAfterSeconds(table)).toBeGreaterThan(table.periodMinutes * 60);
    }
  });

  test('every scheduled job has its failure and duration alerts and a panel', () => {
    const jobs = workloads.filter((o) => o.kind === 'ScheduledSparkApplication' || o.kind === 'CronJob');
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      const { name, namespace } = job.metadata;
      const key =
        job.kind === 'CronJob' ? `owner_name="${name}"` : `${SCHEDULED_JOB_METRIC_LABEL.metricLabel}="${name}"`;
      for (const alert of ['DataplaneScheduledJobFailed', 'DataplaneScheduledJobRunningLong']) {
        const mine = alertsNamed(alert).filter((r: any) => r.expr.includes(key) && r.expr.includes(`"${namespace}"`));
        expect({ job: name, alert, count: mine.length }).toEqual({ job: name, alert, count: 1 });
      }
      expect(panelExprs.some((e) => e.includes(key))).toBe(true);
    }
  });

  test('ScheduledSparkApplications carry the label the operator turns into the dataplane_job metric label', () => {
    for (const job of workloads.filter((o) => o.kind === 'ScheduledSparkApplication') as any[]) {
      expect(job.metadata.labels[SCHEDULED_JOB_METRIC_LABEL.key]).toBe(job.metadata.name);
    }
  });

  test('every tenant queue has its saturation and pending alerts and panels', () => {
    for (const tenant of env.tenants) {
      const queue = tenantQueue(tenant.name);
      for (const alert of ['DataplaneTenantQueueSaturated', 'DataplaneTenantPodsPendingOnQuota']) {
        expect(alertsNamed(alert).filter((r: any) => r.expr.includes(`queue="${queue}"`))).toHaveLength(1);
      }
      expect(panelExprs.filter((e) => e.includes(`queue="${queue}"`))).toHaveLength(2);
    }
  });

  test('every alert has a runbook line in README', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const runbooks = readme.slice(readme.indexOf('### Alert runbooks'));
    for (const name of new Set(rules.map((r: any) => r.alert as string))) {
      expect(runbooks).toContain(`| \`${name}\` |`);
    }
  });

  test('Spark drivers serve driver and executor metrics on the scraped port', () => {
    for (const job of workloads.filter((o) => o.kind === 'ScheduledSparkApplication') as any[]) {
      const conf = job.spec.template.sparkConf;
      expect(conf['spark.ui.prometheus.enabled']).toBe('true');
      expect(conf['spark.metrics.conf.*.sink.prometheusServlet.class']).toBe(
        'org.apache.spark.metrics.sink.PrometheusServlet',
      );
    }
  });
});
