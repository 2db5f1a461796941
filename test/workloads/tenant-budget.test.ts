import { Testing } from 'cdk8s';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { environmentsDir, loadEnvironment } from '../../config';
import { addWorkloads, checkTenantBudgets, peakDemand, RESOURCE_PROFILES } from '../../constructs/workloads';

describe("a tenant's largest Spark job must fit its budget", () => {
  test('peak demand of each profile', () => {
    expect(peakDemand(RESOURCE_PROFILES.interactive)).toEqual({ cpu: 9, memoryBytes: 23 * 2 ** 30, pods: 5 });
    expect(peakDemand(RESOURCE_PROFILES['batch-etl'])).toEqual({ cpu: 9, memoryBytes: 36 * 2 ** 30, pods: 5 });
    expect(peakDemand(RESOURCE_PROFILES['large-scale'])).toEqual({ cpu: 50, memoryBytes: 250 * 2 ** 30, pods: 13 });
    expect(peakDemand(RESOURCE_PROFILES.profiling)).toEqual({ cpu: 5, memoryBytes: 25 * 2 ** 30, pods: 3 });
    // ADR-006 tier 2: 2 CPU / 4 GB.
    expect(peakDemand(RESOURCE_PROFILES.maintenance)).toEqual({ cpu: 2, memoryBytes: 4 * 2 ** 30, pods: 2 });
  });

  test("with gang scheduling the peak counts YuniKorn's placeholders beside the real pods", () => {
    const { profiling } = RESOURCE_PROFILES;
    // Two executor placeholders beside the two executors replacing them, and the driver.
    expect(peakDemand(profiling, profiling.gang)).toEqual({ cpu: 9, memoryBytes: 45 * 2 ** 30, pods: 5 });
    // One executor: the largest phase is still the executor beside its placeholder (1 + 2 * 2 cores), above the
    // pending driver beside its own placeholder and the executor's (2 * 1 + 2 cores).
    const oneExecutor = { ...profiling, executors: { instances: 1 } };
    expect(peakDemand(oneExecutor, profiling.gang)).toEqual({ cpu: 5, memoryBytes: 25 * 2 ** 30, pods: 3 });
    expect(peakDemand(oneExecutor, { enabled: false })).toEqual({ cpu: 3, memoryBytes: 15 * 2 ** 30, pods: 2 });
  });

  test('a budget that holds a profiling job but not its gang placeholders is a problem', () => {
    const env = loadEnvironment('dev');
    const { profiling } = RESOURCE_PROFILES;
    const small = { ...env, tenants: [{ ...env.tenants[0], budget: { cpu: '6', memory: '30Gi', pods: 10 } }] };
    expect(checkTenantBudgets(small, [{ tenant: 'trading', name: 'p', peakDemand: peakDemand(profiling) }])).toEqual(
      [],
    );
    expect(
      checkTenantBudgets(small, [{ tenant: 'trading', name: 'p', peakDemand: peakDemand(profiling, profiling.gang) }]),
    ).toEqual([
      {
        path: ['tenants', 0, 'budget'],
        expected:
          "a budget that holds each of the tenant's Spark jobs at its peak, or smaller profiles: p (cpu 9 exceeds tenant 'trading' budget.cpu 6; memory 45Gi exceeds tenant 'trading' budget.memory 30Gi)",
      },
    ]);
  });

  test('a large-scale job fits the prod trading budget but not the dev one', () => {
    const job = [{ tenant: 'trading', name: 'big', peakDemand: peakDemand(RESOURCE_PROFILES['large-scale']) }];
    expect(checkTenantBudgets(loadEnvironment('prod'), job)).toEqual([]);
    expect(checkTenantBudgets(loadEnvironment('dev'), job)).toEqual([
      {
        path: ['tenants', 0, 'budget'],
        expected:
          "a budget that holds each of the tenant's Spark jobs at its peak, or smaller profiles: big (cpu 50 exceeds tenant 'trading' budget.cpu 16; memory 250Gi exceeds tenant 'trading' budget.memory 64Gi)",
      },
    ]);
  });

  test('synth fails naming the file the environment was loaded from, the line and the tenant budget', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-'));
    const text = fs.readFileSync(path.join(environmentsDir(), 'dev.yaml'), 'utf8');
    const tight = 'budget: { cpu: 1, memory: 64Gi, pods: 60 }';
    fs.writeFileSync(
      path.join(dir, 'dev.yaml'),
      text.replace('budget: { cpu: 16, memory: 64Gi, pods: 60, guaranteed: { cpu: 8, memory: 32Gi } }', tight),
    );
    const file = path.join(dir, 'dev.yaml');
    expect(() => addWorkloads(Testing.chart(), loadEnvironment('dev', { dir }))).toThrow(
      `${file}: 1 problem\n  - ${file}:28: 'tenants[0].budget' is ${tight.slice('budget: '.length)}; expected a budget that holds each of the tenant's Spark jobs at its peak, or smaller profiles: trading-compaction (cpu 3 exceeds tenant 'trading' budget.cpu 1), and 3 more jobs`,
    );
  });
});
