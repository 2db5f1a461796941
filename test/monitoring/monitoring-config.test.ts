import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { ConfigError, DataPlaneError, environmentsDir, loadEnvironment, parseEnvironment } from '../../config';
import { MONITORING } from '../../constructs/conventions';
import { ampRemoteWrite, kubePrometheusStackValues, releaseWorkloads } from '../../constructs/releases';
import { KubeObject } from '../../config';
import { buildDataPlane, renderEnvironment } from '../../stacks/k8s';
import { formatFinding, validateObjects } from '../../validation';

const dev = fs.readFileSync(path.join(environmentsDir(), 'dev.yaml'), 'utf8').replace(/\nmonitoring:[\s\S]*$/, '\n');
const withMonitoring = (monitoring: string) => parseEnvironment(`${dev}monitoring:\n${monitoring}`, 'dev.yaml', 'dev');
const problemsOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataPlaneError) return error.message;
    throw error;
  }
  throw new Error('no error');
};
const existing =
  '  existingPrometheus: { namespace: observability, podLabels: { app.kubernetes.io/name: prometheus }, selectorLabels: { team: platform } }\n';

describe('monitoring section of the environment', () => {
  test('defaults to the stack this package installs', () => {
    const env = parseEnvironment(dev, 'dev.yaml', 'dev');
    expect(env.monitoring).toEqual({});
    expect(releaseWorkloads(env.services, env.monitoring).map((w) => w.component)).toContain('prometheus');
  });

  test('reports every bad key at once', () => {
    const message = problemsOf(() =>
      withMonitoring(
        `${existing}  stack: { prometheus: { replicas: 0, retention: forever }, remoteWrite: { workspaceArn: arn:aws:s3:::bucket } }\n  alerts: { runtimeFactor: 0.5, queueSaturationRatio: 2 }\n`,
      ),
    );
    for (const key of [
      'monitoring.existingPrometheus',
      'monitoring.stack.prometheus.replicas',
      'monitoring.stack.prometheus.retention',
      'monitoring.stack.remoteWrite.workspaceArn',
      'monitoring.alerts.runtimeFactor',
      'monitoring.alerts.queueSaturationRatio',
    ]) {
      expect(message).toContain(`'${key}'`);
    }
  });

  test('prod remote-writes to its AMP workspace with SigV4 in the workspace region', () => {
    const prod = loadEnvironment('prod');
    const values = kubePrometheusStackValues(prod.monitoring.stack);
    expect(values.prometheus.prometheusSpec.remoteWrite).toEqual([
      ampRemoteWrite(prod.monitoring.stack!.remoteWrite!.workspaceArn),
    ]);
    expect(values.prometheus.prometheusSpec.remoteWrite[0].url).toMatch(
      /^https:\/\/aps-workspaces\.eu-west-1\.amazonaws\.com\/workspaces\/ws-[a-z0-9-]+\/api\/v1\/remote_write$/,
    );
    expect(values.prometheus.prometheusSpec.replicas).toBe(prod.monitoring.stack!.prometheus!.replicas);
    expect(values.prometheus.serviceAccount.name).toBe(MONITORING.prometheusServiceAccount);
    expect(
      kubePrometheusStackValues(loadEnvironment('dev').monitoring.stack).prometheus.prometheusSpec.remoteWrite,
    ).toEqual([]);
  });

  test('every component of the stack runs on the system nodes and Grafana loads the dashboards label', () => {
    const values = kubePrometheusStackValues();
    for (const selector of [
      values.prometheus.prometheusSpec.nodeSelector,
      values.alertmanager.alertmanagerSpec.nodeSelector,
      values.grafana.nodeSelector,
      values.prometheusOperator.nodeSelector,
      values.prometheusOperator.admissionWebhooks.patch.nodeSelector,
      values['kube-state-metrics'].nodeSelector,
    ]) {
      expect(selector).toEqual({ 'dataplane.io/node-pool': 'system' });
    }
    expect(values.grafana.sidecar.dashboards).toMatchObject({ label: 'grafana_dashboard', labelValue: '1' });
  });

  test('bad typed values are refused before anything is installed', () => {
    const message = problemsOf(() =>
      kubePrometheusStackValues({
        prometheus: { replicas: 0 },
        grafana: { resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } },
      }),
    );
    expect(message).toContain('prometheusReplicas');
    expect(message).toContain('grafana.resources');
  });

  test('an existing Prometheus gets only the scrape, rule and dashboard objects, labelled for its selectors', () => {
    const env = withMonitoring(existing);
    const charts = buildDataPlane(new App(), env);
    const platform = charts.platform.toJson() as KubeObject[];
    expect(platform.some((o) => o.kind === 'Namespace' && o.metadata.name === MONITORING.namespace)).toBe(false);
    expect(releaseWorkloads(env.services, env.monitoring).some((w) => w.release === MONITORING.release)).toBe(false);
    const monitoring = charts.monitoring.toJson() as KubeObject[];
    const selected = monitoring.filter((o) => ['PodMonitor', 'ServiceMonitor', 'PrometheusRule'].includes(o.kind));
    expect(selected.length).toBeGreaterThanOrEqual(6);
    for (const o of selected) {
      expect(o.metadata.namespace).toBe('observability');
      expect((o.metadata as any).labels).toMatchObject({ team: 'platform' });
    }
  });

  test('an offload whose loss horizon leaves no time to alert is refused', () => {
    const env = loadEnvironment('dev');
    const risky = { ...env, offload: { ...env.offload!, outageToleranceHours: 1 } };
    expect(problemsOf(() => buildDataPlane(new App(), risky))).toMatch(
      /offload\.runs\[0\]\.tables\[0\].*loss horizon 1 h/s,
    );
  });
});

describe('the validator knows the Prometheus Operator CRDs', () => {
  const env = loadEnvironment('dev');
  const rendered = renderEnvironment(env);
  const monitoring = rendered.find((c) => c.name === 'monitoring')!.objects;

  test('the synthesized monitoring objects are valid', () => {
    const findings = validateObjects(rendered, env.name).findings.filter((f) => f.file.includes('monitoring'));
    expect(findings.map(formatFinding)).toEqual([]);
    expect(monitoring.filter((o) => o.apiVersion === 'monitoring.coreos.com/v1').length).toBeGreaterThanOrEqual(6);
  }, 120_000);

  test('unknown fields, bad enums and bad durations in them are found', () => {
    const monitor = structuredClone(monitoring.find((o) => o.kind === 'PodMonitor')!) as any;
    monitor.spec.podMetricsEndpoints[0].scheme = 'gopher';
    monitor.spec.podMetricsEndpoints[0].intervall = '30s';
    const rule = structuredClone(monitoring.find((o) => o.kind === 'PrometheusRule')!) as any;
    rule.spec.groups[0].rules[0].for = 'an hour';
    const findings = validateObjects([{ name: 'monitoring', objects: [monitor, rule] }], env.name).findings.map(
      (f) => `${f.path} ${f.message}`,
    );
    expect(findings.some((f) => f.includes('scheme'))).toBe(true);
    expect(findings.some((f) => f.includes('intervall'))).toBe(true);
    expect(findings.some((f) => f.includes('for'))).toBe(true);
  }, 120_000);
});
