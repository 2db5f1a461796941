import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { ENVIRONMENT_NAMES, loadEnvironment } from '../../config';
import { App } from 'cdk8s';
import { AlertSpec, AlertWatch, DataPlaneAlerts, PLATFORM_SCRAPE_TARGETS } from '../../constructs/monitoring';
import { KubeObject } from '../../config';
import { buildDataPlane } from '../../stacks/k8s';
import { ensureGoTool } from '../../scripts/toolchain/local-tools';

// The generated rules are checked by the real PromQL engine: promtool (pinned in VERSIONS.goTools) parses them
// (`check rules`) and evaluates them over synthetic series (`test rules`), one case where each alert fires and one where
// it stays quiet. The series use the metric and label names the components expose (see constructs/monitoring).

let promtool: string;
beforeAll(
  () => {
    promtool = ensureGoTool('promtool', (line) => process.stdout.write(`promtool: ${line}\n`));
  },
  30 * 60 * 1000,
);

type Series = { series: string; values: string };
type Case = { name: string; evalMinutes: number; series: Series[]; firing: boolean };

const sel = (metric: string, labels: Record<string, string>) =>
  `${metric}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
/** `value` repeated every minute up to and past `minutes`. */
const flat = (value: number, minutes: number) => `${value}x${minutes + 5}`;
/** A counter growing by `perMinute` every minute. */
const growing = (perMinute: number, minutes: number) => `0+${perMinute}x${minutes + 5}`;

/** A firing and a quiet case for one group of rules watching the same series (thresholds may differ). */
function cases(watch: AlertWatch, group: readonly AlertWatch[]): Case[] {
  switch (watch.kind) {
    case 'offload-stale': {
      const thresholds = group.map((w) => (w as typeof watch).afterSeconds);
      const labels = { namespace: watch.namespace, cronjob: watch.cronJob };
      const evalMinutes = Math.max(...thresholds) / 60 + 120;
      const created = { series: sel('kube_cronjob_created', labels), values: flat(0, evalMinutes) };
      const lastSuccess = (ageSeconds: number) => ({
        series: sel('kube_cronjob_status_last_successful_time', labels),
        values: flat(evalMinutes * 60 - ageSeconds, evalMinutes),
      });
      return [
        { name: 'last success too old', evalMinutes, firing: true, series: [created, lastSuccess(evalMinutes * 60)] },
        { name: 'never succeeded', evalMinutes, firing: true, series: [created] },
        {
          name: 'recent success',
          evalMinutes,
          firing: false,
          series: [created, lastSuccess(Math.min(...thresholds) - 600)],
        },
      ];
    }
    case 'spark-job-failed': {
      const metric = sel('spark_application_failure_count', { namespace: watch.namespace, dataplane_job: watch.job });
      return [
        { name: 'first failure', evalMinutes: 60, firing: true, series: [{ series: metric, values: '_x30 1x40' }] },
        { name: 'another failure', evalMinutes: 90, firing: true, series: [{ series: metric, values: '1x60 2x40' }] },
        { name: 'no new failure', evalMinutes: 150, firing: false, series: [{ series: metric, values: flat(1, 150) }] },
      ];
    }
    case 'spark-job-long': {
      const metric = sel('spark_application_running_count', { namespace: watch.namespace, dataplane_job: watch.job });
      const series = [{ series: metric, values: flat(1, watch.afterMinutes + 10) }];
      return [
        { name: 'running too long', evalMinutes: watch.afterMinutes + 5, firing: true, series },
        { name: 'within the limit', evalMinutes: watch.afterMinutes - 1, firing: false, series },
      ];
    }
    case 'cron-job-failed': {
      const job = { namespace: watch.namespace, job_name: `${watch.job}-29000000` };
      const owner = {
        series: sel('kube_job_owner', {
          ...job,
          owner_kind: 'CronJob',
          owner_name: watch.job,
          owner_is_controller: 'true',
        }),
        values: flat(1, 60),
      };
      const started = { series: sel('kube_job_status_start_time', job), values: flat(60 * 60 - 600, 60) };
      const failed = (value: number) => ({
        series: sel('kube_job_failed', { ...job, condition: 'true' }),
        values: flat(value, 60),
      });
      return [
        { name: 'failed run', evalMinutes: 60, firing: true, series: [owner, started, failed(1)] },
        { name: 'run not failed', evalMinutes: 60, firing: false, series: [owner, started, failed(0)] },
      ];
    }
    case 'cron-job-long': {
      const job = { namespace: watch.namespace, job_name: `${watch.job}-29000000` };
      const minutes = watch.afterSeconds / 60 + 10;
      const series = [
        {
          series: sel('kube_job_owner', {
            ...job,
            owner_kind: 'CronJob',
            owner_name: watch.job,
            owner_is_controller: 'true',
          }),
          values: flat(1, minutes),
        },
        { series: sel('kube_job_status_start_time', job), values: flat(0, minutes) },
        { series: sel('kube_job_status_active', job), values: flat(1, minutes) },
      ];
      return [
        { name: 'running too long', evalMinutes: watch.afterSeconds / 60 + 5, firing: true, series },
        { name: 'within the limit', evalMinutes: Math.floor(watch.afterSeconds / 120), firing: false, series },
      ];
    }
    case 'queue-saturated':
    case 'queue-pending': {
      const q = (state: string, value: number) => ({
        series: sel('yunikorn_queue_resource', { queue: watch.queue, state, resource: 'vcore' }),
        values: flat(value, watch.minutes + 10),
      });
      const full = [q('max', 1000), q('allocated', 1000)];
      const evalMinutes = watch.minutes + 5;
      const busy = Math.floor(watch.ratio * 1000) - 100;
      if (watch.kind === 'queue-saturated') {
        return [
          { name: 'at its max', evalMinutes, firing: true, series: full },
          { name: 'below the ratio', evalMinutes, firing: false, series: [q('max', 1000), q('allocated', busy)] },
        ];
      }
      return [
        { name: 'pending at its max', evalMinutes, firing: true, series: [...full, q('pending', 4000)] },
        { name: 'nothing pending', evalMinutes, firing: false, series: [...full, q('pending', 0)] },
        {
          name: 'pending below max',
          evalMinutes,
          firing: false,
          series: [q('max', 1000), q('allocated', busy), q('pending', 4000)],
        },
      ];
    }
    case 'polaris-errors': {
      const requests = (status: string, perMinute: number) => ({
        series: sel('http_server_requests_seconds_count', { namespace: 'polaris', status, uri: '/api/catalog' }),
        values: growing(perMinute, 30),
      });
      return [
        { name: 'mostly errors', evalMinutes: 25, firing: true, series: [requests('500', 60), requests('200', 0)] },
        { name: 'no errors', evalMinutes: 25, firing: false, series: [requests('500', 0), requests('200', 60)] },
      ];
    }
    case 'polaris-latency': {
      const series = (meanSeconds: number) => [
        {
          series: sel('http_server_requests_seconds_count', { namespace: 'polaris', status: '200' }),
          values: growing(60, 30),
        },
        {
          series: sel('http_server_requests_seconds_sum', { namespace: 'polaris', status: '200' }),
          values: growing(60 * meanSeconds, 30),
        },
      ];
      return [
        { name: 'slow', evalMinutes: 25, firing: true, series: series(watch.seconds * 2) },
        { name: 'fast', evalMinutes: 25, firing: false, series: series(watch.seconds / 2) },
      ];
    }
    case 'target-down': {
      const up = (down: string | undefined) =>
        PLATFORM_SCRAPE_TARGETS.map((t) => ({
          series: sel('up', { namespace: t.namespace, component: t.name, pod: `${t.name}-0` }),
          values: flat(t.name === down ? 0 : 1, 20),
        }));
      return [
        { name: 'down', evalMinutes: 15, firing: true, series: up(watch.component) },
        { name: 'up', evalMinutes: 15, firing: false, series: up(undefined) },
      ];
    }
    case 'webhook-errors': {
      const requests = (perMinute: number) => [
        {
          series: sel('controller_runtime_webhook_requests_total', {
            namespace: watch.namespace,
            component: 'spark-operator-webhook',
            webhook: '/mutate--v1-pod',
            code: '500',
          }),
          values: growing(perMinute, 20),
        },
      ];
      return [
        { name: 'errors', evalMinutes: 15, firing: true, series: requests(5) },
        { name: 'no errors', evalMinutes: 15, firing: false, series: requests(0) },
      ];
    }
    case 'history-server-down': {
      const replicas = (n: number) => [
        {
          series: sel('kube_deployment_status_replicas_available', {
            namespace: watch.namespace,
            deployment: watch.deployment,
          }),
          values: flat(n, 30),
        },
      ];
      return [
        { name: 'no replica', evalMinutes: 20, firing: true, series: replicas(0) },
        { name: 'one replica', evalMinutes: 20, firing: false, series: replicas(1) },
      ];
    }
  }
}

/** promtool's test file for every alert of `specs`: rules watching the same series are tested together. */
function promtoolTests(specs: readonly AlertSpec[]) {
  const groups = new Map<string, AlertSpec[]>();
  for (const s of specs) {
    // Tables offloaded by one CronJob share its series; every other rule watches series of its own.
    const watched =
      s.watch.kind === 'offload-stale'
        ? `${s.watch.namespace}/${s.watch.cronJob}`
        : JSON.stringify({ ...s.outputLabels, ...s.rule.labels });
    const key = `${s.rule.alert} ${watched}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.entries()].flatMap(([key, group]) =>
    cases(
      group[0].watch,
      group.map((s) => s.watch),
    ).map((c) => {
      // A case fires every rule of the group whose threshold it passes; the quiet cases stay under every threshold.
      const firing = c.firing
        ? group.filter((s) => s.watch.kind !== 'offload-stale' || s.watch.afterSeconds < c.evalMinutes * 60)
        : [];
      return {
        name: `${key}: ${c.name}`,
        interval: '1m',
        input_series: c.series,
        alert_rule_test: [
          {
            eval_time: `${c.evalMinutes}m`,
            alertname: group[0].rule.alert,
            exp_alerts: firing.map((s) => ({
              exp_labels: { ...s.outputLabels, ...s.rule.labels },
              exp_annotations: { ...s.rule.annotations },
            })),
          },
        ],
      };
    }),
  );
}

function run(args: string[]) {
  return spawnSync(promtool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

describe.each(ENVIRONMENT_NAMES)('alert rules of %s under promtool', (envName) => {
  let dir: string;
  let rulesFile: string;
  let specs: AlertSpec[];

  beforeAll(() => {
    const charts = buildDataPlane(new App(), loadEnvironment(envName));
    const rule = (charts.monitoring.toJson() as KubeObject[]).find((o) => o.kind === 'PrometheusRule')!;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `promtool-${envName}-`));
    rulesFile = path.join(dir, 'rules.yaml');
    // promtool reads plain rule files: the PrometheusRule's spec as synthesized.
    fs.writeFileSync(rulesFile, stringify(rule.spec));
    const alerts = charts.monitoring.node.findAll().find((c): c is DataPlaneAlerts => c instanceof DataPlaneAlerts)!;
    specs = [...alerts.specs];
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('promtool check rules accepts every rule', () => {
    const result = run(['check', 'rules', rulesFile]);
    expect(`${result.stdout}${result.stderr}`).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.status).toBe(0);
  });

  test('promtool test rules: each alert fires on its firing series and stays quiet otherwise', () => {
    const tests = promtoolTests(specs);
    const kinds = new Set(specs.map((s) => s.watch.kind));
    // Every alert has a firing and a quiet case.
    expect(tests.filter((t) => t.alert_rule_test[0].exp_alerts.length > 0).length).toBeGreaterThanOrEqual(kinds.size);
    const testFile = path.join(dir, 'tests.yaml');
    fs.writeFileSync(testFile, stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }));
    const result = run(['test', 'rules', testFile]);
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  test('a wrong expectation fails, so the test above can fail', () => {
    const [first] = promtoolTests(specs.filter((s) => s.watch.kind === 'target-down'));
    const wrong = { ...first, alert_rule_test: [{ ...first.alert_rule_test[0], exp_alerts: [] }] };
    const testFile = path.join(dir, 'wrong.yaml');
    fs.writeFileSync(testFile, stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests: [wrong] }));
    expect(run(['test', 'rules', testFile]).status).not.toBe(0);
  });
});
