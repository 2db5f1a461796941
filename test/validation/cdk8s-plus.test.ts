import { Chart, Cron, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { formatFinding, validateObjects } from '../../validation';

/** What other areas build with cdk8s-plus-28: its output must validate without findings (no false positives). */
function chart(): Chart {
  const chart = new Chart(Testing.app(), 'plus', { namespace: 'analytics' });
  new kplus.Namespace(chart, 'namespace', { metadata: { name: 'analytics' } });
  const account = new kplus.ServiceAccount(chart, 'account', { metadata: { name: 'spark' } });
  const config = new kplus.ConfigMap(chart, 'config', {
    metadata: { name: 'spark-defaults' },
    data: { 'spark-defaults.conf': 'spark.ui.enabled=false' },
  });
  const deployment = new kplus.Deployment(chart, 'history', {
    metadata: { name: 'history-server' },
    replicas: 2,
    serviceAccount: account,
    containers: [
      {
        name: 'history-server',
        image: 'apache/spark:4.0.1',
        portNumber: 18080,
        envFrom: [kplus.Env.fromConfigMap(config)],
        envVariables: { SPARK_NO_DAEMONIZE: kplus.EnvValue.fromValue('true') },
        readiness: kplus.Probe.fromHttpGet('/', { port: 18080 }),
        resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) } },
        volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(chart, 'tmp', 'tmp') }],
      },
    ],
  });
  deployment.exposeViaService({ name: 'history-server', ports: [{ port: 80, targetPort: 18080 }] });
  new kplus.CronJob(chart, 'expire', {
    metadata: { name: 'expire-snapshots' },
    schedule: Cron.daily(),
    timeZone: 'Europe/Berlin',
    concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
    ttlAfterFinished: Duration.hours(1),
    containers: [{ image: 'apache/spark:4.0.1', command: ['/opt/spark/bin/spark-sql'] }],
  });
  const role = new kplus.Role(chart, 'role', { metadata: { name: 'spark-driver' } });
  role.allowReadWrite(kplus.ApiResource.PODS, kplus.ApiResource.SERVICES);
  role.bind(account);
  new kplus.NetworkPolicy(chart, 'policy', {
    metadata: { name: 'history-ingress' },
    selector: deployment,
    ingress: { rules: [{ peer: kplus.Pods.all(chart, 'all-pods'), ports: [kplus.NetworkPolicyPort.tcp(18080)] }] },
  });
  return chart;
}

test('a cdk8s-plus-28 chart (Namespace, ServiceAccount, ConfigMap, Deployment, Service, CronJob, Role, RoleBinding, NetworkPolicy) has no findings', () => {
  const objects = chart().toJson();
  expect(objects.map((o) => o.kind).sort()).toEqual(
    [
      'ConfigMap',
      'CronJob',
      'Deployment',
      'Namespace',
      'NetworkPolicy',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
    ].sort(),
  );
  expect(validateObjects([{ name: 'plus', objects }], 'test').findings.map(formatFinding)).toEqual([]);
});
