import { z } from 'zod';
import { Problems } from '../errors';
import { parseQuantity } from '../quantity';
import { count, dnsLabel, quantity } from './common';

/** CPU and memory of one container, as Kubernetes writes them. */
export interface ResourceAmounts {
  /** CPU cores (`500m`, `2`). */
  readonly cpu: string;
  /** Memory (`512Mi`, `4Gi`). */
  readonly memory: string;
}

/** Requests and limits of one container; every platform service sets both so it is never best-effort. */
export interface ContainerResources {
  readonly requests: ResourceAmounts;
  readonly limits: ResourceAmounts;
}

/**
 * The problems of a {@link ContainerResources} value (empty when valid): both quantities must parse and each request must
 * not exceed its limit. Used by the schema below and by constructs that take resources directly.
 */
export function resourceProblems(resources: ContainerResources): string[] {
  const problems: string[] = [];
  for (const kind of ['cpu', 'memory'] as const) {
    const request = resources.requests[kind];
    const limit = resources.limits[kind];
    const parsed = [request, limit].map((q) => {
      try {
        return parseQuantity(q);
      } catch {
        return undefined;
      }
    });
    if (parsed[0] === undefined)
      problems.push(`requests.${kind} ${JSON.stringify(request)} is not a Kubernetes quantity`);
    if (parsed[1] === undefined) problems.push(`limits.${kind} ${JSON.stringify(limit)} is not a Kubernetes quantity`);
    if (parsed[0] !== undefined && parsed[1] !== undefined && parsed[0] > parsed[1]) {
      problems.push(`requests.${kind} ${request} exceeds limits.${kind} ${limit}`);
    }
  }
  return problems;
}

/** Records the problems of `resources` (see {@link resourceProblems}) under `key`. */
export function checkResources(problems: Problems, key: string, resources: ContainerResources): void {
  for (const problem of resourceProblems(resources)) problems.add(key, resources, `valid resources (${problem})`);
}

const amounts = z.strictObject({ cpu: quantity('cpu'), memory: quantity('memory') });

/** Requests and limits of one container; a request above its limit is rejected. */
export const ContainerResourcesSchema = z
  .strictObject({ requests: amounts, limits: amounts })
  .superRefine((value, ctx) => {
    for (const problem of resourceProblems(value)) ctx.addIssue({ code: 'custom', message: problem });
  });

/** An Iceberg namespace in the Polaris catalog (one level; the tenant's own is named like the tenant). */
export const catalogNamespace = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'an Iceberg namespace: lower-case letters, digits, "_" and "-"');

/**
 * What one tenant's jobs may do in the catalog. Write covers the offload and table maintenance (TABLE_WRITE_DATA, which
 * includes reading, plus TABLE_CREATE); read covers audits (TABLE_READ_DATA).
 */
export const CatalogAccessSchema = z.strictObject({
  /** Namespaces whose tables the tenant's jobs create, write and maintain. */
  write: z.array(catalogNamespace).optional(),
  /** Namespaces whose tables the tenant's jobs only read. */
  read: z.array(catalogNamespace).optional(),
});

/** Platform-service settings; every key is optional and falls back to the component's documented default. */
export const ServicesSchema = z.strictObject({
  sparkOperator: z
    .strictObject({
      /** Controller replicas (leader-elected). */
      controllerReplicas: count(1).optional(),
      /** Webhook replicas; more than one keeps Spark pod creation working during a node drain. */
      webhookReplicas: count(1).optional(),
      /** Concurrent reconciles of the controller. */
      workers: count(1).optional(),
      controllerResources: ContainerResourcesSchema.optional(),
      webhookResources: ContainerResourcesSchema.optional(),
    })
    .optional(),
  yunikorn: z
    .strictObject({
      schedulerResources: ContainerResourcesSchema.optional(),
      admissionControllerReplicas: count(1).optional(),
      admissionControllerResources: ContainerResourcesSchema.optional(),
    })
    .optional(),
  polaris: z
    .strictObject({
      /** Server replicas; they share the token-broker key pair, so any replica validates any token. */
      replicas: count(1).optional(),
      resources: ContainerResourcesSchema.optional(),
      /** Catalog access per tenant name; a tenant not listed writes its own namespace only. */
      catalogAccess: z.record(dnsLabel(), CatalogAccessSchema).optional(),
    })
    .optional(),
  historyServer: z
    .strictObject({
      replicas: count(1).optional(),
      resources: ContainerResourcesSchema.optional(),
      /**
       * Namespaces whose pods may open the History Server UI (it shows every tenant's applications, without
       * authentication). None by default: reach it with `kubectl port-forward`.
       */
      uiNamespaces: z.array(dnsLabel()).optional(),
    })
    .optional(),
});

export type ServicesConfig = z.infer<typeof ServicesSchema>;
export type CatalogAccess = z.infer<typeof CatalogAccessSchema>;
