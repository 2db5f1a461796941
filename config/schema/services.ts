import { z } from 'zod';
import { Problems } from '../errors';
import { parseQuantity } from '../quantity';
import { count, dnsLabel, quantity } from './common';
import { crossFieldRule } from './rules';

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
export const ContainerResourcesSchema = z.strictObject({ requests: amounts, limits: amounts }).check(
  crossFieldRule<ContainerResources>([['requests'], ['limits']], (value) =>
    resourceProblems(value).map((problem) => ({
      path: [],
      expected: `requests no greater than limits (${problem})`,
    })),
  ),
);

/** An Iceberg namespace in the Polaris catalog (one level; the tenant's own is named like the tenant). */
export const catalogNamespace = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'an Iceberg namespace: lower-case letters, digits, "_" and "-"');

/**
 * What one tenant's jobs may do in the catalog. Write covers the offload and table maintenance (TABLE_WRITE_DATA, which
 * includes reading, plus TABLE_CREATE); read covers audits (TABLE_READ_DATA).
 */
export const CatalogAccessSchema = z
  .strictObject({
    /** Namespaces whose tables the tenant's jobs create, write and maintain. */
    write: z.array(catalogNamespace).optional(),
    /** Namespaces whose tables the tenant's jobs only read. */
    read: z.array(catalogNamespace).optional(),
    /**
     * The tenant's consent for other tenants to write namespaces it owns (the namespace named like it, and those of
     * its data sets), per namespace: `grantWrite: { trading: [analytics] }`. Without it, another tenant writing there
     * is a configuration error naming both tenants.
     * @default - no other tenant writes the tenant's namespaces
     */
    grantWrite: z.record(catalogNamespace, z.array(dnsLabel())).optional(),
  })
  .check(
    crossFieldRule<{ write?: string[]; read?: string[] }>([['write'], ['read']], (access) => {
      const write = access.write ?? [];
      const read = access.read ?? [];
      if (write.length + read.length === 0) return [{ path: [], expected: 'at least one namespace to write or read' }];
      return read.flatMap((ns, i) =>
        write.includes(ns)
          ? [{ path: ['read', i], expected: 'a namespace not also in write (write includes read)' }]
          : [],
      );
    }),
  );

/** What a tenant without a `catalogAccess` entry may do: write the namespace named like it, read nothing else. */
export function defaultCatalogAccess(tenant: string): CatalogAccess {
  return { write: [tenant] };
}

/**
 * The Spark Operator controller's run-name timestamp precisions (chart value
 * `controller.scheduledSparkApplicationTimestampPrecision`, flag `--scheduled-spark-application-timestamp-precision`;
 * the values the 2.5.2 controller accepts, cmd/operator/controller/start.go) with the digits of today's Unix time in that
 * unit, which each run's name `<name>-<timestamp>` carries (formatTimestamp in
 * internal/controller/scheduledsparkapplication/controller.go).
 */
export const RUN_TIMESTAMP_DIGITS = { nanos: 19, micros: 16, millis: 13, seconds: 10, minutes: 8 } as const;
export type RunTimestampPrecision = keyof typeof RUN_TIMESTAMP_DIGITS;
/** The controller's default precision. */
export const DEFAULT_RUN_TIMESTAMP_PRECISION: RunTimestampPrecision = 'nanos';

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
      /**
       * Precision of the timestamp in the names of scheduled runs; coarser leaves room for longer job names but two
       * runs started within one unit collide. Set on the controller and used by the job-name length check.
       */
      runTimestampPrecision: z
        .enum(Object.keys(RUN_TIMESTAMP_DIGITS) as [RunTimestampPrecision, ...RunTimestampPrecision[]])
        .optional(),
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
