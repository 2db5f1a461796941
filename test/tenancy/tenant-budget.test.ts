import { fitsTenantQuota, tenantQuota } from '../../constructs/tenancy';

const tenant = { name: 'analytics', budget: { cpu: '8', memory: '32Gi', pods: 30 } };

describe('tenantQuota', () => {
  test('object counts derive from pods when the budget leaves them out', () => {
    expect(tenantQuota(tenant.budget)).toEqual({
      cpu: '8',
      memory: '32Gi',
      pods: 30,
      configmaps: 40,
      services: 30,
      secrets: 20,
      persistentvolumeclaims: 30,
    });
  });

  test('explicit object counts win, and quantities are normalized', () => {
    expect(tenantQuota({ cpu: '0.5', memory: '1073741824', pods: 4, objects: { configmaps: 3, secrets: 1 } })).toEqual({
      cpu: '500m',
      memory: '1Gi',
      pods: 4,
      configmaps: 3,
      services: 4,
      secrets: 1,
      persistentvolumeclaims: 4,
    });
  });
});

describe('fitsTenantQuota', () => {
  test('a job profile within the budget fits', () => {
    expect(fitsTenantQuota(tenant, { cpu: 8, memory: '32Gi', pods: 30 })).toEqual({ fits: true, problems: [] });
    expect(fitsTenantQuota(tenant, { cpu: '7500m', memory: '20Gi', pods: 9 }).fits).toBe(true);
  });

  test('every resource over the budget is reported, naming the tenant', () => {
    expect(fitsTenantQuota(tenant, { cpu: '8001m', memory: '33Gi', pods: 31 })).toEqual({
      fits: false,
      problems: [
        "cpu 8001m exceeds tenant 'analytics' budget.cpu 8",
        "memory 33Gi exceeds tenant 'analytics' budget.memory 32Gi",
        "31 pods exceed tenant 'analytics' budget.pods 30",
      ],
    });
  });

  test('CPU is rounded up to whole millicores, as Kubernetes does', () => {
    expect(fitsTenantQuota(tenant, { cpu: '8.0001', memory: '1Gi', pods: 1 }).problems).toEqual([
      "cpu 8001m exceeds tenant 'analytics' budget.cpu 8",
    ]);
  });
});
