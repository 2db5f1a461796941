import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { TenantConfig } from '../../config';
import { YunikornQueueConfig, YunikornQueueConfigProps } from '../../constructs/tenancy';
import { validateQueuesYaml } from '../../validation';

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

  test('partition default, root open to all, binpacking nodes', () => {
    expect(queues.partitions).toHaveLength(1);
    const [partition] = queues.partitions;
    expect(partition.name).toBe('default');
    expect(partition.nodesortpolicy).toEqual({ type: 'binpacking' });
    expect(partition.queues).toHaveLength(1);
    expect(partition.queues[0].name).toBe('root');
    expect(partition.queues[0].submitacl).toBe('*');
    expect(partition.queues[0].resources).toBeUndefined();
  });

  test('placement: an explicit existing queue first, then the namespace under root.tenants', () => {
    expect(queues.partitions[0].placementrules).toEqual([
      { name: 'provided', create: false },
      { name: 'tag', value: 'namespace', create: true, parent: { name: 'fixed', value: 'root.tenants' } },
    ]);
  });

  test('root.tenants is a parent capped at the Spark capacity, with a leaf per tenant in vcore and bytes', () => {
    const parent = queues.partitions[0].queues[0].queues[0];
    expect(parent.name).toBe('tenants');
    expect(parent.parent).toBe(true);
    expect(parent.resources).toEqual({ max: { vcore: '64', memory: '274877906944' } });
    expect(parent.queues).toEqual([
      {
        name: 'trading',
        resources: { guaranteed: { vcore: '8', memory: '34359738368' }, max: { vcore: '16', memory: '68719476736' } },
      },
      { name: 'analytics', resources: { max: { vcore: '7500m', memory: '1610612736' } } },
    ]);
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
