import { Testing } from 'cdk8s';
import { loadEnvironment } from '../../config';
import { addWorkloads, budgetShortfalls, checkTenantBudgets, peakDemand, RESOURCE_PROFILES } from '../../constructs/workloads';

describe('a tenant\'s largest Spark job must fit its budget', () => {
  test('peak demand of each profile', () => {
    expect(peakDemand(RESOURCE_PROFILES.interactive)).toEqual({ cpu: 9, memoryBytes: 23 * 2 ** 30, pods: 5 });
    expect(peakDemand(RESOURCE_PROFILES['batch-etl'])).toEqual({ cpu: 9, memoryBytes: 36 * 2 ** 30, pods: 5 });
    expect(peakDemand(RESOURCE_PROFILES['large-scale'])).toEqual({ cpu: 50, memoryBytes: 250 * 2 ** 30, pods: 13 });
    expect(peakDemand(RESOURCE_PROFILES.profiling)).toEqual({ cpu: 5, memoryBytes: 25 * 2 ** 30, pods: 3 });
  });

  test('a large-scale job does not fit the dev trading budget, and says why', () => {
    expect(budgetShortfalls(peakDemand(RESOURCE_PROFILES['large-scale']), { cpu: '16', memory: '64Gi', pods: 60 })).toEqual(['50 CPU > 16', '250Gi memory > 64Gi']);
  });

  test('it fits the prod trading budget', () => {
    expect(budgetShortfalls(peakDemand(RESOURCE_PROFILES['large-scale']), { cpu: '96', memory: '384Gi', pods: 400 })).toEqual([]);
  });

  test('synth fails naming the environment file and the tenant budget', () => {
    const env = loadEnvironment('dev');
    expect(checkTenantBudgets(env, [{ tenant: 'analytics', name: 'big', peakDemand: peakDemand(RESOURCE_PROFILES['large-scale']) }])).toEqual([
      "'tenants[1].budget' cannot hold job big at its peak (50 CPU > 8, 250Gi memory > 32Gi); expected a budget that fits the tenant's largest Spark job, or a smaller profile",
    ]);
    const tight = { ...env, tenants: env.tenants.map((t) => (t.name === 'trading' ? { ...t, budget: { cpu: '4', memory: '64Gi', pods: 60 } } : t)) };
    expect(() => addWorkloads(Testing.chart(), tight)).toThrow(/environments\/dev.yaml: 4 problems\n {2}- 'tenants\[0\].budget' cannot hold job trading-compaction at its peak \(9 CPU > 4\)/);
  });
});
