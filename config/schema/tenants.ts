import { z } from 'zod';
import { formatCpu, formatMemory, isQuantity, parseQuantity } from '../quantity';
import { count, dnsLabel, quantity } from './common';
import { valueRule } from './rules';

/** Namespaces of the platform services. */
export const PLATFORM_NAMESPACES = {
  sparkOperator: 'spark-operator',
  yunikorn: 'yunikorn',
  polaris: 'polaris',
  historyServer: 'spark-history',
} as const;

/** Why a tenant may not be called `name` (its namespace belongs to Kubernetes or the platform), or undefined. */
export function reservedNamespaceProblem(name: string): string | undefined {
  const reserved =
    name === 'default' || name.startsWith('kube-') || Object.values<string>(PLATFORM_NAMESPACES).includes(name);
  return reserved
    ? `a namespace of the tenant's own, not default, kube-* or a platform namespace (${Object.values(PLATFORM_NAMESPACES).join(', ')})`
    : undefined;
}
import { SparkConnectSchema } from './spark-connect';

/** Whole millicores in `cores`, or undefined when YuniKorn (whose finest CPU unit is 1m) cannot express it. */
export function wholeMillicores(cores: number): number | undefined {
  const milli = cores * 1000;
  return Math.abs(milli - Math.round(milli)) < 1e-6 ? Math.round(milli) : undefined;
}

// Budgets become YuniKorn queue resources, which are whole millicores and whole bytes.
function representable(kind: 'cpu' | 'memory', value: string): boolean {
  if (!isQuantity(value)) return false;
  const amount = parseQuantity(value);
  return kind === 'cpu' ? wholeMillicores(amount) !== undefined : Number.isInteger(amount);
}
/** A value the cross-field checks can compare: it passed its own checks. */
function usable(kind: 'cpu' | 'memory', value: string): boolean {
  return representable(kind, value) && parseQuantity(value) >= 0;
}
const cpu = quantity('cpu').refine(
  (v) => representable('cpu', v),
  'a CPU quantity in whole millicores (YuniKorn queues have no finer unit), e.g. 250m or 4',
);
const memory = quantity('memory').refine(
  (v) => representable('memory', v),
  'a memory quantity of whole bytes (YuniKorn queues count bytes), e.g. 512Mi or 64Gi',
);

/** The share of the cluster a tenant's YuniKorn queue is guaranteed; what it may borrow above it is capped by the budget. */
export const TenantGuaranteeSchema = z.strictObject({
  /** CPU cores guaranteed to the tenant's queue. */
  cpu,
  /** Memory guaranteed to the tenant's queue. */
  memory,
});

/** Caps on the number of objects in the tenant namespace (ResourceQuota `count/*`); unset ones derive from `pods`. */
export const TenantObjectCountsSchema = z.strictObject({
  /** ConfigMaps (Spark creates one per driver and one per executor set). */
  configmaps: count(1).optional(),
  /** Services (the driver's headless service and the operator's UI service, per application). */
  services: count(0).optional(),
  /** Secrets. */
  secrets: count(0).optional(),
  /** PersistentVolumeClaims (Spark's on-demand shuffle volumes, one per executor). */
  persistentvolumeclaims: count(0).optional(),
});

/** What a tenant may use at once: the namespace quota and the tenant's YuniKorn queue derive from it. */
export const TenantBudgetSchema = z
  .strictObject({
    /** CPU cores the tenant may request in total (quota `requests.cpu`, queue max `vcore`). */
    cpu,
    /** Memory the tenant may request in total (quota `requests.memory`, queue max `memory`). */
    memory,
    /** Pods the tenant may run at once. */
    pods: count(1),
    /** The tenant's guaranteed share (queue `guaranteed`); absent means the queue is guaranteed nothing. */
    guaranteed: TenantGuaranteeSchema.optional(),
    /** Object-count caps; absent ones derive from `pods`. */
    objects: TenantObjectCountsSchema.optional(),
  })
  .superRefine((budget, ctx) => {
    if (!budget.guaranteed) return;
    for (const key of ['cpu', 'memory'] as const) {
      // Values that failed their own checks are reported there.
      if (!usable(key, budget.guaranteed[key]) || !usable(key, budget[key])) continue;
      const [guaranteed, max] = [parseQuantity(budget.guaranteed[key]), parseQuantity(budget[key])];
      if (guaranteed > max) {
        const shown = key === 'cpu' ? formatCpu(max) : formatMemory(max);
        ctx.addIssue({
          code: 'custom',
          path: ['guaranteed', key],
          message: `at most budget.${key} (${shown}): a guarantee above the quota can never be used`,
        });
      }
    }
  });

export const TenantSchema = z.strictObject({
  /** The tenant's name; it is also its namespace and its YuniKorn leaf queue, so it must be a DNS label. */
  name: dnsLabel().check(valueRule(reservedNamespaceProblem)),
  /** Who owns the tenant (team or contact), copied into namespace annotations. */
  owner: z.string().min(1, 'a non-empty owner (team or contact)'),
  budget: TenantBudgetSchema,
  /** An interactive Spark Connect server for the tenant; none when absent. */
  sparkConnect: SparkConnectSchema.optional(),
});

export type TenantConfig = z.infer<typeof TenantSchema>;
export type TenantBudget = z.infer<typeof TenantBudgetSchema>;

/** Where a cross-field problem is reported: the key path in the environment file and what was expected there. */
export interface TenantCapacityIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Checks the tenants against the environment's declared Spark capacity:
 * - the guaranteed shares must add up to at most the capacity, or YuniKorn would promise more than the nodes hold;
 * - each tenant's budget must fit the capacity on its own, or part of it could never be scheduled.
 * The budgets may add up to more than the capacity on purpose: a tenant borrows idle capacity up to its budget, and
 * YuniKorn reclaims it for tenants below their guarantee.
 */
export function tenantCapacityIssues(
  tenants: readonly TenantConfig[],
  capacity: { readonly maxCpu: string; readonly maxMemory: string },
): TenantCapacityIssue[] {
  const issues: TenantCapacityIssue[] = [];
  // CPU is compared in millicores so that sums of fractions stay exact.
  const resources = [
    {
      key: 'cpu',
      capacityKey: 'maxCpu',
      units: (q: string) => Math.round(parseQuantity(q) * 1000),
      format: (m: number) => formatCpu(m / 1000),
    },
    { key: 'memory', capacityKey: 'maxMemory', units: parseQuantity, format: formatMemory },
  ] as const;
  for (const { key, capacityKey, units, format } of resources) {
    // Values that failed their own checks are reported there; comparing them would only repeat the problem.
    if (
      !isQuantity(capacity[capacityKey]) ||
      !tenants.every(
        (t) => usable(key, t.budget[key]) && (!t.budget.guaranteed || usable(key, t.budget.guaranteed[key])),
      )
    )
      continue;
    const limit = units(capacity[capacityKey]);
    tenants.forEach((tenant, index) => {
      if (units(tenant.budget[key]) > limit) {
        issues.push({
          path: ['tenants', index, 'budget', key],
          message: `at most capacity.spark.${capacityKey} (${format(limit)}): tenant '${tenant.name}' cannot use more than the Spark nodes provide`,
        });
      }
    });
    const guaranteed = tenants.filter((t) => t.budget.guaranteed);
    const sum = guaranteed.reduce((total, t) => total + units(t.budget.guaranteed![key]), 0);
    if (sum > limit) {
      const parts = guaranteed.map((t) => `${t.name} ${format(units(t.budget.guaranteed![key]))}`).join(' + ');
      issues.push({
        path: ['capacity', 'spark', capacityKey],
        message: `at least ${format(sum)}, the sum of the tenants' guaranteed ${key} (${parts}): guarantees must fit the Spark capacity`,
      });
    }
  }
  return issues;
}
