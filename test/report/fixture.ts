// A small environment built by hand, with figures simple enough to compute on paper (see report.test.ts).
import { EnvironmentConfig, loadEnvironment } from '../../config';
import { EXPECTED_RUNTIME_ANNOTATION, ICEBERG_TABLES_ANNOTATION, TENANT_LABEL } from '../../constructs/conventions';
import type { KubeObject } from '../../config';
import { RenderedChart } from '../../stacks/k8s';

/**
 * The shipped dev environment with two small tenants and the given Spark capacity. Built without the schema on purpose:
 * the tenancy checks reject an over-committed configuration, and the report must still flag one in the objects.
 */
export function smallEnvironment(spark: { maxCpu: string; maxMemory: string }): EnvironmentConfig {
  const dev = loadEnvironment('dev');
  const tenant = (name: string) => ({
    ...dev.tenants[0],
    name,
    owner: `team-${name}`,
    budget: { ...dev.tenants[0].budget, cpu: '8', memory: '32Gi' },
  });
  return {
    ...dev,
    capacity: { system: { instanceTypes: ['m6i.large'], minNodes: 2, maxNodes: 3 }, spark },
    services: undefined,
    tenants: [tenant('a'), tenant('b')],
  };
}

function meta(name: string, namespace: string, runtime: number | null, tables: string) {
  const annotations: Record<string, string> = { [ICEBERG_TABLES_ANNOTATION]: tables };
  if (runtime !== null) annotations[EXPECTED_RUNTIME_ANNOTATION] = String(runtime);
  return { name, namespace, labels: { [TENANT_LABEL]: namespace }, annotations };
}

/** Daily 02:00, 60 min unless given (null: no runtime annotation), JVM: driver 1 core 2g, 2 executors of 2 cores 4g, default overhead. */
export function compaction(runtime: number | null = 60): KubeObject {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'ScheduledSparkApplication',
    metadata: meta('compact-trades', 'a', runtime, 'lake.trades'),
    spec: {
      schedule: '0 2 * * *',
      timeZone: 'UTC',
      template: {
        type: 'Scala',
        driver: { cores: 1, coreLimit: '1200m', memory: '2g' },
        executor: { cores: 2, memory: '4g', instances: 2 },
        batchSchedulerOptions: { queue: 'root.tenants.a' },
      },
    },
  };
}

/** Hourly at :30, 10 min, one pod requesting 500m / 1Gi. */
export function offload(): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta('offload-trades', 'a', 10, 'lake.trades'),
    spec: {
      schedule: '30 * * * *',
      timeZone: 'UTC',
      jobTemplate: {
        spec: {
          template: {
            spec: { containers: [{ name: 'offload', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] },
          },
        },
      },
    },
  };
}

/** Sundays 03:00, 30 min, Python, dynamic allocation up to 3 executors of 1 core 1g; driver 1 core 1g. */
export function audit(): KubeObject {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'ScheduledSparkApplication',
    metadata: meta('audit-trades', 'b', 30, 'lake.trades,<x&y>'),
    spec: {
      schedule: '0 3 * * SUN',
      timeZone: 'UTC',
      template: {
        type: 'Python',
        driver: { cores: 1, memory: '1g' },
        executor: { cores: 1, memory: '1g', instances: 1 },
        dynamicAllocation: { enabled: true, initialExecutors: 1, maxExecutors: 3 },
        batchSchedulerOptions: { queue: 'root.tenants.b' },
      },
    },
  };
}

const quota = (namespace: string, cpu: string, memory: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'budget', namespace },
  spec: { hard: { 'requests.cpu': cpu, 'requests.memory': memory, pods: '20' } },
});

const queuesYaml = `partitions:
  - name: default
    queues:
      - name: root
        queues:
          - name: tenants
            queues:
              - name: a
                resources: { guaranteed: { vcore: 6, memory: 25769803776 }, max: { vcore: 8, memory: 34359738368 } }
              - name: b
                resources: { guaranteed: { vcore: 6000m, memory: 25769803776 }, max: { vcore: 8, memory: 34359738368 } }
`;

export function smallCharts(jobs: KubeObject[] = [compaction(), offload(), audit()]): RenderedChart[] {
  return [
    {
      name: 'platform',
      objects: [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'yunikorn-configs', namespace: 'yunikorn' },
          data: { 'queues.yaml': queuesYaml },
        },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'spark-history-server', namespace: 'spark-history' },
          spec: {
            replicas: 1,
            template: {
              spec: { containers: [{ name: 'history', resources: { requests: { cpu: '250m', memory: '512Mi' } } }] },
            },
          },
        },
      ],
    },
    { name: 'tenants', objects: [quota('a', '8', '32Gi'), quota('b', '8', '32Gi')] },
    { name: 'workloads', objects: jobs },
  ];
}
