/**
 * Tenant budgets (namespace quotas) and YuniKorn queue guarantees against the Spark capacity the environment
 * declares, read from the synthesized ResourceQuotas and the `yunikorn-configs` ConfigMap.
 */
import { parse } from 'yaml';
import { EnvironmentConfig, formatCpu, formatMemory, parseQuantity } from '../../config';
import { PLATFORM_NAMESPACES, tenantQueue } from '../../constructs/conventions';
import type { KubeObject } from '../../config';

export interface Resources {
  /** CPU cores. */
  readonly cpu: number;
  /** Memory bytes. */
  readonly memory: number;
}

export interface TenantCommitment {
  readonly tenant: string;
  /** The tenant's declared budget (environment file). */
  readonly budget: Resources;
  /** The namespace ResourceQuota's request limits, when one was synthesized. */
  readonly quota?: Resources;
  /** The tenant queue's guaranteed and max resources in `queues.yaml`, when present. */
  readonly guaranteed?: Resources;
  readonly max?: Resources;
}

export interface Commitments {
  /** Spark capacity the environment declares (`capacity.spark`): what tenant jobs can run on. */
  readonly capacity: Resources;
  readonly tenants: readonly TenantCommitment[];
  /** Sum over tenants of the quota (the budget where no quota was synthesized). */
  readonly totalQuota: Resources;
  /** Sum of the tenant queues' guarantees. */
  readonly totalGuaranteed: Resources;
  /** One line per over-commitment; empty when everything fits. */
  readonly overCommitted: readonly string[];
}

export function commitments(env: EnvironmentConfig, objects: readonly KubeObject[]): Commitments {
  const capacity = {
    cpu: parseQuantity(env.capacity.spark.maxCpu),
    memory: parseQuantity(env.capacity.spark.maxMemory),
  };
  const queues = queueResources(objects);
  const tenants = env.tenants.map((t): TenantCommitment => {
    const queue = queues.get(tenantQueue(t.name));
    return {
      tenant: t.name,
      budget: { cpu: parseQuantity(t.budget.cpu), memory: parseQuantity(t.budget.memory) },
      quota: quotaOf(objects, t.name),
      guaranteed: queue?.guaranteed,
      max: queue?.max,
    };
  });
  const sum = (pick: (t: TenantCommitment) => Resources | undefined) => ({
    cpu: tenants.reduce((n, t) => n + (pick(t)?.cpu ?? 0), 0),
    memory: tenants.reduce((n, t) => n + (pick(t)?.memory ?? 0), 0),
  });
  const totalQuota = sum((t) => t.quota ?? t.budget);
  const totalGuaranteed = sum((t) => t.guaranteed);

  const overCommitted: string[] = [];
  const exceeds = (what: string, have: Resources, limit: Resources, limitName: string) => {
    if (have.cpu > limit.cpu)
      overCommitted.push(`${what} CPU ${formatCpu(have.cpu)} > ${limitName} ${formatCpu(limit.cpu)}`);
    if (have.memory > limit.memory)
      overCommitted.push(`${what} memory ${formatMemory(have.memory)} > ${limitName} ${formatMemory(limit.memory)}`);
  };
  exceeds('sum of tenant quotas:', totalQuota, capacity, 'Spark capacity');
  exceeds('sum of queue guarantees:', totalGuaranteed, capacity, 'Spark capacity');
  for (const t of tenants) {
    exceeds(`tenant ${t.tenant} quota:`, t.quota ?? t.budget, capacity, 'Spark capacity');
    if (t.guaranteed) exceeds(`tenant ${t.tenant} queue guarantee:`, t.guaranteed, t.quota ?? t.budget, 'its quota');
  }
  return { capacity, tenants, totalQuota, totalGuaranteed, overCommitted };
}

/** The tightest request limits of the ResourceQuotas in `namespace` (each quota caps on its own). */
function quotaOf(objects: readonly KubeObject[], namespace: string): Resources | undefined {
  const hards = objects
    .filter((o) => o.kind === 'ResourceQuota' && o.metadata.namespace === namespace)
    .map((o) => ((o.spec as any)?.hard ?? {}) as Record<string, string | number>);
  if (hards.length === 0) return undefined;
  const tightest = (keys: string[]) =>
    Math.min(...hards.flatMap((h) => keys.filter((k) => h[k] !== undefined).map((k) => parseQuantity(h[k]))));
  return { cpu: tightest(['requests.cpu', 'cpu']), memory: tightest(['requests.memory', 'memory']) };
}

/** Guaranteed and max resources of every queue in `yunikorn-configs`' `queues.yaml`, by full queue path. */
function queueResources(objects: readonly KubeObject[]): Map<string, { guaranteed?: Resources; max?: Resources }> {
  const out = new Map<string, { guaranteed?: Resources; max?: Resources }>();
  const configMap = objects.find(
    (o) =>
      o.kind === 'ConfigMap' &&
      o.metadata.name === 'yunikorn-configs' &&
      o.metadata.namespace === PLATFORM_NAMESPACES.yunikorn,
  );
  const text = (configMap?.data as Record<string, string> | undefined)?.['queues.yaml'];
  if (!text) return out;
  // YuniKorn writes vcore as cores (or millicores with `m`) and memory in bytes: both are Kubernetes quantities.
  const resources = (r: Record<string, string | number> | undefined): Resources | undefined =>
    r && (r.vcore !== undefined || r.memory !== undefined)
      ? { cpu: parseQuantity(r.vcore ?? 0), memory: parseQuantity(r.memory ?? 0) }
      : undefined;
  const walk = (queues: any[] | undefined, parent: string) => {
    for (const q of queues ?? []) {
      const name = parent ? `${parent}.${q.name}` : String(q.name);
      out.set(name, { guaranteed: resources(q.resources?.guaranteed), max: resources(q.resources?.max) });
      walk(q.queues, name);
    }
  };
  // The k8shim only uses the `default` partition.
  const doc = parse(text) ?? {};
  walk((doc.partitions ?? []).find((p: any) => p.name === 'default')?.queues, '');
  return out;
}
