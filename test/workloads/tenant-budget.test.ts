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
  });

  test('a large-scale job fits the prod trading budget but not the dev one', () => {
    const job = [{ tenant: 'trading', name: 'big', peakDemand: peakDemand(RESOURCE_PROFILES['large-scale']) }];
    expect(checkTenantBudgets(loadEnvironment('prod'), job)).toEqual([]);
    expect(checkTenantBudgets(loadEnvironment('dev'), job)).toEqual([
      {
        path: ['tenants', 0, 'budget'],
        expected:
          "a budget that holds job big at its peak (cpu 50 exceeds tenant 'trading' budget.cpu 16; memory 250Gi exceeds tenant 'trading' budget.memory 64Gi): the tenant's largest Spark job must fit, or take a smaller profile",
      },
    ]);
  });

  test('synth fails naming the file the environment was loaded from, the line and the tenant budget', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-'));
    const text = fs.readFileSync(path.join(environmentsDir(), 'dev.yaml'), 'utf8');
    const tight = 'budget: { cpu: 4, memory: 64Gi, pods: 60 }';
    fs.writeFileSync(
      path.join(dir, 'dev.yaml'),
      text.replace('budget: { cpu: 16, memory: 64Gi, pods: 60, guaranteed: { cpu: 8, memory: 32Gi } }', tight),
    );
    const file = path.join(dir, 'dev.yaml');
    expect(() => addWorkloads(Testing.chart(), loadEnvironment('dev', { dir }))).toThrow(
      `${file}: 4 problems\n  - ${file}:27: 'tenants[0].budget' is ${tight.slice('budget: '.length)}; expected a budget that holds job trading-compaction at its peak (cpu 9 exceeds tenant 'trading' budget.cpu 4)`,
    );
  });
});
