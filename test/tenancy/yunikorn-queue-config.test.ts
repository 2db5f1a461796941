import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { TenantConfig } from '../../config';
import { tenantSubmitter, YunikornQueueConfig, YunikornQueueConfigProps } from '../../constructs/tenancy';
import { placeApplication, queueIsolationProblems, SchedulerConfig, validateQueuesYaml } from '../../validation';

const tenants: Pick<TenantConfig, 'name' | 'budget'>[] = [
  { name: 'trading', budget: { cpu: '16', memory: '64Gi', pods: 60, guaranteed: { cpu: '8', memory: '32Gi' } } },
  { name: 'analytics', budget: { cpu: '7500m', memory: '1.5Gi', pods: 30 } },
];
const props: YunikornQueueConfigProps = { tenants, capacity: { maxCpu: '64', maxMemory: '256Gi' } };

describe('YunikornQueueConfig', () => {
  let configMap: any;
  let queues: any;
  beforeAll(() => {
    const chart = Testing.chart();
    new YunikornQueueConfig(chart, 'Queues', props);
    [configMap] = Testing.synth(chart);
    queues = parse(configMap.data['queues.yaml']);
  });

  test("is the ConfigMap 'yunikorn-configs' in the yunikorn namespace", () => {
    expect(configMap.kind).toBe('ConfigMap');
    expect(configMap.metadata.name).toBe('yunikorn-configs');
    expect(configMap.metadata.namespace).toBe('yunikorn');
    // The service and admission-controller keys live in yunikorn-defaults (the release's Helm values), set once.
    expect(Object.keys(configMap.data)).toEqual(['queues.yaml']);
  });

  test('partition default, no ACL on root, binpacking nodes', () => {
    expect(queues.partitions).toHaveLength(1);
    const [partition] = queues.partitions;
    expect(partition.name).toBe('default');
    expect(partition.nodesortpolicy).toEqual({ type: 'binpacking' });
    expect(partition.queues).toHaveLength(1);
    expect(partition.queues[0].name).toBe('root');
    expect(partition.queues[0].submitacl).toBeUndefined();
    expect(partition.queues[0].adminacl).toBeUndefined();
    expect(partition.queues[0].resources).toBeUndefined();
  });

  test('placement: an explicit existing queue first, then the namespace under root.tenants (existing leaves only)', () => {
    expect(queues.partitions[0].placementrules).toEqual([
      { name: 'provided', create: false },
      { name: 'tag', value: 'namespace', create: false, parent: { name: 'fixed', value: 'root.tenants' } },
    ]);
  });

  test('root.tenants is a parent capped at the Spark capacity, with a leaf per tenant in vcore and bytes', () => {
    const parent = queues.partitions[0].queues[0].queues[0];
    expect(parent.name).toBe('tenants');
    expect(parent.parent).toBe(true);
    expect(parent.resources).toEqual({ max: { vcore: '64', memory: '274877906944' } });
    expect(parent.submitacl).toBeUndefined();
    expect(parent.queues).toEqual([
      {
        name: 'trading',
        submitacl: 'serviceaccount.trading.spark-driver,serviceaccount.trading.scheduled-jobs',
        resources: { guaranteed: { vcore: '8', memory: '34359738368' }, max: { vcore: '16', memory: '68719476736' } },
      },
      {
        name: 'analytics',
        submitacl: 'serviceaccount.analytics.spark-driver,serviceaccount.analytics.scheduled-jobs',
        resources: { max: { vcore: '7500m', memory: '1610612736' } },
      },
    ]);
  });

  describe('isolation, on the rendered queues.yaml (placement and ACLs as yunikorn-core 1.8.0 applies them)', () => {
    const rendered = (): SchedulerConfig => queues;
    const identity = (t: string, sa = 'spark-driver') => ({
      user: `serviceaccount.${t}.${sa}`,
      groups: [`tenant-${t}`],
    });

    test("a tenant naming another tenant's queue is not admitted there: it lands in its own", () => {
      for (const [me, other] of [
        ['trading', 'analytics'],
        ['analytics', 'trading'],
      ]) {
        for (const sa of ['spark-driver', 'scheduled-jobs']) {
          const app = { ...identity(me, sa), namespace: me };
          expect(placeApplication(rendered(), { ...app, queue: `root.tenants.${other}` })).toBe(`root.tenants.${me}`);
          expect(placeApplication(rendered(), app)).toBe(`root.tenants.${me}`);
        }
      }
    });

    test('an identity no leaf names (the Kubernetes user, a YuniKorn default, an executor account) is placed nowhere', () => {
      for (const user of [
        'system:serviceaccount:trading:spark-driver',
        'nobody',
        'serviceaccount.trading.spark-executor',
      ]) {
        expect(
          placeApplication(rendered(), { user, groups: ['system:serviceaccounts:trading'], namespace: 'trading' }),
        ).toBeUndefined();
        expect(
          placeApplication(rendered(), { user, groups: [], namespace: 'trading', queue: 'root.tenants.trading' }),
        ).toBeUndefined();
      }
    });

    test('a namespace without a tenant queue gets none (no dynamic queue under root.tenants)', () => {
      expect(placeApplication(rendered(), { ...identity('trading'), namespace: 'scratch' })).toBeUndefined();
    });

    test('the isolation check passes the rendered config and catches a wildcard parent or a shared leaf', () => {
      const submitters = tenants.map((t) => tenantSubmitter(t.name));
      expect(queueIsolationProblems(rendered(), submitters)).toEqual([]);
      const open = structuredClone(queues);
      open.partitions[0].queues[0].submitacl = '*';
      expect(queueIsolationProblems(open, submitters)).toEqual(
        expect.arrayContaining([
          'root: submitacl "*" admits everyone to every queue below it',
          "tenant 'trading' (user serviceaccount.trading.spark-driver) is admitted to root.tenants.analytics when its pods name root.tenants.analytics; expected only its own queue root.tenants.trading",
        ]),
      );
      const shared = structuredClone(queues);
      shared.partitions[0].queues[0].queues[0].queues[1].submitacl += ',serviceaccount.trading.spark-driver';
      expect(queueIsolationProblems(shared, submitters)).toEqual([
        "tenant 'trading' (user serviceaccount.trading.spark-driver) is admitted to root.tenants.analytics when its pods name root.tenants.analytics; expected only its own queue root.tenants.trading",
      ]);
    });
  });

  test('the rendered queues.yaml passes the YuniKorn validator', () => {
    expect(validateQueuesYaml(configMap.data['queues.yaml'])).toEqual([]);
  });

  describe('rejects', () => {
    const attempt = (p: Partial<YunikornQueueConfigProps>) => () =>
      new YunikornQueueConfig(new Chart(Testing.app(), 'c'), 'Queues', { ...props, ...p });

    test('a tenant name that is not a queue name', () => {
      expect(attempt({ tenants: [{ ...tenants[0], name: 'trading.desk' }] })).toThrow(
        /tenant 'trading.desk' \(tenants\[0\]\): root.tenants.trading.desk: queue name "trading.desk" is invalid/,
      );
    });

    test('two tenants whose names differ only in case', () => {
      expect(attempt({ tenants: [tenants[0], { ...tenants[1], name: 'Trading' }] })).toThrow(
        /queue name 'Trading' duplicates sibling 'trading'/,
      );
    });

    test('a guarantee above the budget, naming the tenant', () => {
      const over = { ...tenants[0], budget: { ...tenants[0].budget, guaranteed: { cpu: '32', memory: '32Gi' } } };
      expect(attempt({ tenants: [over] })).toThrow(
        /tenant 'trading' \(tenants\[0\].budget.guaranteed.cpu\): at most budget.cpu \(16\)/,
      );
    });

    test('guarantees that over-commit the capacity', () => {
      const big = (name: string) => ({
        name,
        budget: { cpu: '40', memory: '64Gi', pods: 10, guaranteed: { cpu: '40', memory: '64Gi' } },
      });
      expect(attempt({ tenants: [big('a'), big('b')] })).toThrow(
        /root.tenants: the children's guaranteed sum vcore 80 is above the queue's effective max vcore 64/,
      );
    });

    test('a budget larger than the capacity, naming the tenant', () => {
      const huge = { name: 'huge', budget: { cpu: '128', memory: '64Gi', pods: 10 } };
      expect(attempt({ tenants: [huge] })).toThrow(
        /tenant 'huge' \(tenants\[0\]\): root.tenants.huge: max vcore 128 is above the parent's effective max vcore 64/,
      );
    });

    test('no tenants', () => {
      expect(attempt({ tenants: [] })).toThrow(/'tenants' is empty; expected at least one tenant/);
    });

    test('a capacity that is not a whole number of millicores or bytes', () => {
      expect(attempt({ capacity: { maxCpu: '0.0001', maxMemory: '1.5' } })).toThrow(
        /'capacity.maxCpu' is "0.0001"[\s\S]*'capacity.maxMemory' is "1.5"/,
      );
    });
  });
});
