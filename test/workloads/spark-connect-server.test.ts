import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ConfigError, DataPlaneError, loadEnvironment, parseEnvironment, VERSIONS } from '../../config';
import {
  SPARK_CONNECT_NAME_LABEL,
  SPARK_CONNECT_PORT,
  SPARK_CONNECT_SERVER_ROLE,
  SPARK_ROLE_LABEL,
  tenantQueue,
} from '../../constructs/conventions';
import { environmentCatalog, RESOURCE_PROFILES, shellQuotedConf, SparkConnectServer } from '../../constructs/workloads';
import { managedSparkConf } from '../../constructs/workloads/spark-application';
import { renderEnvironment } from '../../stacks/k8s';
import { buildReport, summaryText } from '../../stacks/report';
import { formatFinding, validateObjects } from '../../validation';
import { confAfterBash } from '../helpers/operator-start-line';
import { Endpoint, NetworkPolicyEvaluator, namespaceLabels } from '../tenancy/helpers/network-policy-evaluator';

const env = loadEnvironment('dev');
const tenant = env.tenants.find((t) => t.sparkConnect)!;
const charts = renderEnvironment(env);
const objects = charts.flatMap((c) => [...c.objects]) as any[];
const connect = objects.find((o) => o.kind === 'SparkConnect');

describe('SparkConnectServer in the dev environment', () => {
  test('one SparkConnect per opted-in tenant, valid against the operator CRD with the rest of the environment', () => {
    const opted = env.tenants.filter((t) => t.sparkConnect).map((t) => t.name);
    expect(objects.filter((o) => o.kind === 'SparkConnect').map((o) => o.metadata.namespace)).toEqual(opted);
    expect(validateObjects(charts, env.name).findings.map(formatFinding)).toEqual([]);
  });

  test("runs as the tenant: its service accounts, queue, interactive priority and the batch jobs' catalog conf", () => {
    expect(connect.apiVersion).toBe('sparkoperator.k8s.io/v1alpha1');
    expect(connect.spec.sparkVersion).toBe(VERSIONS.spark.version);
    expect(connect.spec.image).toBe(env.jobs.image);
    const server = connect.spec.server.template;
    const executor = connect.spec.executor.template;
    expect(server.spec).toMatchObject({
      serviceAccountName: 'spark-driver',
      automountServiceAccountToken: true,
      schedulerName: 'yunikorn',
      priorityClassName: 'spark-interactive',
    });
    expect(executor.spec).toMatchObject({
      serviceAccountName: 'spark-executor',
      automountServiceAccountToken: false,
      schedulerName: 'yunikorn',
    });
    for (const t of [server, executor])
      expect(t.metadata.labels['yunikorn.apache.org/queue']).toBe(tenantQueue(tenant.name));
    // Every key batch jobs get, with the same value once the shell quoting is undone.
    const batch = shellQuotedConf(
      managedSparkConf({
        catalog: environmentCatalog(env),
        eventLogBucket: env.storage.eventLogBucket,
        tenant: tenant.name,
      }),
    );
    expect(connect.spec.sparkConf).toMatchObject(batch);
    expect(server.spec.containers[0].env.map((e: any) => e.valueFrom.secretKeyRef.name)).toEqual([
      'polaris-spark-credentials',
      'polaris-spark-credentials',
    ]);
  });

  test('idles with the server alone: dynamic executors from 0 up to the declared maximum', () => {
    expect(connect.spec.dynamicAllocation).toEqual({
      enabled: true,
      initialExecutors: 0,
      minExecutors: 0,
      maxExecutors: tenant.sparkConnect!.maxExecutors,
      shuffleTrackingEnabled: true,
    });
  });

  test('only the declared client namespaces reach its gRPC port; other tenants and namespaces do not', () => {
    const policies = new NetworkPolicyEvaluator(objects);
    const pod = (namespace: string, labels: Record<string, string>, ip: string): Endpoint => ({
      ip,
      pod: {
        namespace,
        labels,
        namespaceLabels: { 'kubernetes.io/metadata.name': namespace, ...namespaceLabels(objects, namespace) },
      },
    });
    const server = pod(
      tenant.name,
      {
        ...connect.spec.server.template.metadata.labels,
        [SPARK_CONNECT_NAME_LABEL]: connect.metadata.name,
        [SPARK_ROLE_LABEL]: SPARK_CONNECT_SERVER_ROLE,
      },
      '10.20.40.1',
    );
    const [client] = tenant.sparkConnect!.clientNamespaces!;
    const reach = (from: Endpoint, port = SPARK_CONNECT_PORT) => policies.allows({ from, to: server, port });
    expect(reach(pod(client, { app: 'notebook' }, '10.20.41.1'))).toBe(true);
    expect(reach(pod(client, { app: 'notebook' }, '10.20.41.1'), 7078)).toBe(false);
    for (const other of env.tenants.filter((t) => t.name !== tenant.name))
      expect(reach(pod(other.name, { 'spark-role': 'driver' }, '10.20.42.1'))).toBe(false);
    expect(reach(pod('default', {}, '10.20.43.1'))).toBe(false);
    // Its own executors reach it (driver RPC), and it reaches the Kubernetes API to start them.
    const executor = pod(
      tenant.name,
      { [SPARK_ROLE_LABEL]: 'executor', [SPARK_CONNECT_NAME_LABEL]: connect.metadata.name },
      '10.20.44.1',
    );
    expect(reach(executor, 7078)).toBe(true);
    const [a, b] = env.network.vpcCidr.split('.');
    expect(policies.allows({ from: server, to: { ip: `${a}.${b}.0.10` }, port: 443 })).toBe(true);
  });

  test('its idle server shows in the report as always-on requests', () => {
    const report = buildReport(env, charts);
    const server = new SparkConnectServer(Testing.chart(), 'x', {
      tenant: tenant.name,
      image: 'i',
      catalog: environmentCatalog(env),
      eventLogBucket: 'b',
      apiCidr: env.network.vpcCidr,
      clientNamespaces: ['n'],
    });
    expect(report.usage.interactive).toEqual([
      expect.objectContaining({
        name: connect.metadata.name,
        cpu: server.idleDemand.cpu,
        memory: server.idleDemand.memoryBytes,
      }),
    ]);
    expect(summaryText(report)).toContain(
      `interactive: Spark Connect ${tenant.name}/${connect.metadata.name} idles at ${server.idleDemand.cpu} CPU`,
    );
  });
});

describe('the operator starts the server with bash -c over unquoted --conf pairs', () => {
  test('every value reaches Spark intact, and the catalog credential expands from the Secret-backed env', () => {
    const received = confAfterBash(connect.spec.sparkConf, {
      POLARIS_CLIENT_ID: 'id123',
      POLARIS_CLIENT_SECRET: 's3cr3t',
    });
    const intended = {
      ...managedSparkConf({
        catalog: environmentCatalog(env),
        eventLogBucket: env.storage.eventLogBucket,
        tenant: tenant.name,
      }),
      'spark.sql.catalog.polaris.credential': 'id123:s3cr3t',
    };
    expect(received).toMatchObject(intended);
    expect(received['spark.redaction.regex']).toMatch(/\|/);
  });
});

describe('SparkConnectServer props and the environment file', () => {
  const props = {
    tenant: 'analytics',
    image: 'img',
    catalog: environmentCatalog(env),
    eventLogBucket: 'b',
    apiCidr: '10.20.0.0/16',
    clientNamespaces: ['notebooks'],
  };
  const problems = (extra: object) => {
    try {
      new SparkConnectServer(Testing.chart(), 'connect', { ...props, ...extra });
    } catch (error) {
      if (error instanceof DataPlaneError) return error;
      throw error;
    }
    throw new Error('expected a DataPlaneError');
  };

  test('bad props are refused together, naming the construct path', () => {
    const error = problems({
      name: 'a-name-that-is-far-too-long-for-the-service-the-operator-adds',
      clientNamespaces: [],
      clientCidrs: ['0.0.0.0/0'],
      resources: RESOURCE_PROFILES['batch-etl'],
    });
    expect(error.subject).toBe('test/connect');
    expect(error.problems).toEqual([
      `'name' is "a-name-that-is-far-too-long-for-the-service-the-operator-adds"; expected a DNS-1035 label of at most 56 characters (the operator names its Service <name>-server)`,
      expect.stringMatching(/^'resources\.executors' is .*; expected dynamic executors with min and initial 0/),
      `'clientCidrs[0]' is "0.0.0.0/0"; expected an IPv4 CIDR block narrower than 0.0.0.0/0 (the server runs tenant code for whoever connects)`,
    ]);
  });

  const file = path.join(os.tmpdir(), 'teamb.yaml');
  const withConnect = (sparkConnect: unknown) => {
    const text = fs.readFileSync(path.join(__dirname, '../../environments/dev.yaml'), 'utf8');
    return text.replace(/ {4}sparkConnect: .*\n/, `    sparkConnect: ${JSON.stringify(sparkConnect)}\n`);
  };
  const configProblems = (sparkConnect: unknown) => {
    try {
      parseEnvironment(withConnect(sparkConnect), file, 'dev');
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  test('the schema refuses a server nobody may reach, or one open to every address', () => {
    expect(configProblems({ maxExecutors: 2 })).toEqual([
      `${file}:33: 'tenants[1].sparkConnect' is {"maxExecutors":2}; expected at least one of clientNamespaces or clientCidrs: a server nobody may reach is of no use`,
    ]);
    expect(configProblems({ clientCidrs: ['0.0.0.0/0'] })).toEqual([
      `${file}:33: 'tenants[1].sparkConnect.clientCidrs[0]' is "0.0.0.0/0"; expected a range narrower than 0.0.0.0/0 (the server runs code for whoever connects)`,
    ]);
  });

  test("a server whose sessions could outgrow the tenant's quota is a configuration error", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connect-'));
    try {
      fs.writeFileSync(path.join(dir, 'dev.yaml'), withConnect({ clientNamespaces: ['notebooks'], maxExecutors: 6 }));
      expect(() => renderEnvironment(loadEnvironment('dev', { dir }))).toThrow(
        /dev\.yaml:\d+: 'tenants\[1\]\.budget' is .*; expected a budget that holds each of the tenant's Spark jobs at its peak, or smaller profiles: analytics-connect \(/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
