import { formatCpu, formatMemory, parseQuantity, TenantBudget, TenantConfig, wholeMillicores } from '../../config';

/** How budgets turn into quota object counts when `budget.objects` leaves them out. */
export const BUDGET_DEFAULTS = {
  /**
   * Spark creates one ConfigMap for the driver and one for its executors, and an application has at least two pods
   * (driver and one executor), so one ConfigMap per pod covers every application the pod budget allows; the headroom
   * covers `kube-root-ca.crt` (in every namespace) and the tenant's own ConfigMaps.
   */
  configmapsHeadroom: 10,
  /** Each application has the driver's headless Service and the operator's UI Service: one per pod, as above. */
  servicesPerPod: 1,
  /** Spark's on-demand PVCs are one per executor at most. */
  persistentvolumeclaimsPerPod: 1,
  /** Secrets are not created per job: the Polaris credentials and a few of the tenant's own. */
  secrets: 20,
} as const;

/** The hard limits of a tenant namespace, resolved from its budget. */
export interface TenantQuota {
  /** Total CPU requests, as a Kubernetes quantity. */
  readonly cpu: string;
  /** Total memory requests, as a Kubernetes quantity. */
  readonly memory: string;
  /** Pods at once. */
  readonly pods: number;
  /** ConfigMaps in the namespace. */
  readonly configmaps: number;
  /** Services in the namespace (none of them LoadBalancer or NodePort). */
  readonly services: number;
  /** Secrets in the namespace. */
  readonly secrets: number;
  /** PersistentVolumeClaims in the namespace. */
  readonly persistentvolumeclaims: number;
}

/** Resolves a budget into the namespace's hard limits (object counts default from `pods`, see BUDGET_DEFAULTS). */
export function tenantQuota(budget: TenantBudget): TenantQuota {
  const objects = budget.objects ?? {};
  return {
    cpu: formatCpu(parseQuantity(budget.cpu)),
    memory: formatMemory(parseQuantity(budget.memory)),
    pods: budget.pods,
    configmaps: objects.configmaps ?? budget.pods + BUDGET_DEFAULTS.configmapsHeadroom,
    services: objects.services ?? budget.pods * BUDGET_DEFAULTS.servicesPerPod,
    secrets: objects.secrets ?? BUDGET_DEFAULTS.secrets,
    persistentvolumeclaims:
      objects.persistentvolumeclaims ?? budget.pods * BUDGET_DEFAULTS.persistentvolumeclaimsPerPod,
  };
}

/** What one workload needs at its peak: the sum of its pods' requests (memory including overhead) and its pod count. */
export interface WorkloadDemand {
  /** CPU requested by all its pods together (a quantity: `6`, `5500m`). */
  readonly cpu: string | number;
  /** Memory requested by all its pods together, overhead included (a quantity: `26Gi`). */
  readonly memory: string | number;
  /** Pods running at once (driver plus the most executors). */
  readonly pods: number;
}

/** The outcome of {@link fitsTenantQuota}. */
export interface QuotaFit {
  /** True when the demand fits the tenant's quota (and so its YuniKorn queue max). */
  readonly fits: boolean;
  /** One line per resource that does not fit, naming the tenant, the demand and the quota. */
  readonly problems: readonly string[];
}

/**
 * Checks that a workload (e.g. a tenant's largest Spark job profile) fits the tenant's quota. A workload that does not
 * fit can never run: the ResourceQuota rejects its last pods and its YuniKorn gang never fits the queue max.
 */
export function fitsTenantQuota(tenant: Pick<TenantConfig, 'name' | 'budget'>, demand: WorkloadDemand): QuotaFit {
  const problems: string[] = [];
  // Kubernetes rounds CPU requests up to whole millicores; budgets are whole millicores already (schema).
  const cpu = Math.ceil(parseQuantity(demand.cpu) * 1000 - 1e-6);
  const budgetCpu = wholeMillicores(parseQuantity(tenant.budget.cpu))!;
  if (cpu > budgetCpu) {
    problems.push(
      `cpu ${formatCpu(cpu / 1000)} exceeds tenant '${tenant.name}' budget.cpu ${formatCpu(budgetCpu / 1000)}`,
    );
  }
  const memory = parseQuantity(demand.memory);
  const budgetMemory = parseQuantity(tenant.budget.memory);
  if (memory > budgetMemory) {
    problems.push(
      `memory ${formatMemory(memory)} exceeds tenant '${tenant.name}' budget.memory ${formatMemory(budgetMemory)}`,
    );
  }
  if (demand.pods > tenant.budget.pods) {
    problems.push(`${demand.pods} pods exceed tenant '${tenant.name}' budget.pods ${tenant.budget.pods}`);
  }
  return { fits: problems.length === 0, problems };
}
