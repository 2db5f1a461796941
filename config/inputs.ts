/**
 * The inputs a person writes, in TypeScript, for what the environment file declares: hand-written so the `.d.ts`
 * carries the documentation and the defaults. Each is checked against its zod schema's input type by
 * `test/config/input-types.test.ts`, so the two cannot drift apart.
 */

/** A CPU or memory amount: a Kubernetes quantity such as `'500m'`, `'64Gi'`, or a plain number of cores or bytes. */
export type QuantityInput = string | number;

/** The share of the cluster a tenant's YuniKorn queue is guaranteed. */
export interface TenantGuaranteeInput {
  /** CPU cores guaranteed to the tenant's queue, in whole millicores (e.g. `4` or `'2500m'`). */
  readonly cpu: QuantityInput;
  /** Memory guaranteed to the tenant's queue, in whole bytes (e.g. `'32Gi'`). */
  readonly memory: QuantityInput;
}

/** Caps on the number of objects in a tenant namespace (ResourceQuota `count/*`). */
export interface TenantObjectCountsInput {
  /** ConfigMaps (Spark creates one per driver and one per executor set). @default - pods + a headroom */
  readonly configmaps?: number;
  /** Services (the driver's headless service and the operator's UI service). @default - derived from pods */
  readonly services?: number;
  /** Secrets. @default - derived from pods */
  readonly secrets?: number;
  /** PersistentVolumeClaims (Spark's on-demand shuffle volumes). @default - derived from pods */
  readonly persistentvolumeclaims?: number;
}

/** What a tenant may use at once: its namespace quota and its YuniKorn leaf queue derive from it. */
export interface TenantBudgetInput {
  /** CPU cores the tenant may request in total (quota `requests.cpu`, queue max `vcore`), e.g. `8` or `'7500m'`. */
  readonly cpu: QuantityInput;
  /** Memory the tenant may request in total (quota `requests.memory`, queue max `memory`), e.g. `'64Gi'`. */
  readonly memory: QuantityInput;
  /** Pods the tenant may run at once (at least 1). */
  readonly pods: number;
  /** The tenant's guaranteed share (queue `guaranteed`). @default - the queue is guaranteed nothing */
  readonly guaranteed?: TenantGuaranteeInput;
  /** Object-count caps. @default - each derived from `pods` */
  readonly objects?: TenantObjectCountsInput;
}

/** A tenant's interactive Spark Connect server: who may open sessions, and how large they may grow. */
export interface SparkConnectInput {
  /** Namespaces whose pods may open sessions. @default - none (give this or clientCidrs) */
  readonly clientNamespaces?: readonly string[];
  /** Address ranges that may open sessions, never 0.0.0.0/0. @default - none (give this or clientNamespaces) */
  readonly clientCidrs?: readonly string[];
  /** Most executors a session may hold at once. @default - the interactive profile's maximum */
  readonly maxExecutors?: number;
}

/** A team that runs Spark jobs (an entry of `tenants` in the environment file). */
export interface TenantInput {
  /** The tenant's name: a DNS label, also its namespace and its YuniKorn leaf queue `root.tenants.<name>`. */
  readonly name: string;
  /** Who owns the tenant (team or contact), recorded on the namespace. */
  readonly owner: string;
  /** What the tenant may use at once. */
  readonly budget: TenantBudgetInput;
  /** An interactive Spark Connect server for the tenant. @default - none */
  readonly sparkConnect?: SparkConnectInput;
}

/** What a tenant's jobs may do in the Polaris catalog (an entry of `services.polaris.catalogAccess`). */
export interface TenantCatalogAccessInput {
  /** Namespaces whose tables the tenant's jobs create, write and maintain. @default - none */
  readonly write?: readonly string[];
  /** Namespaces whose tables the tenant's jobs only read. @default - none */
  readonly read?: readonly string[];
  /**
   * Other tenants allowed to write namespaces this tenant owns, per namespace: `{ trading: ['analytics'] }`.
   * @default - no other tenant writes the tenant's namespaces
   */
  readonly grantWrite?: Readonly<Record<string, readonly string[]>>;
}

/** A job from one of the templates, run on a schedule as a tenant (an entry of `jobs.scheduled`). */
export interface ScheduledJobInput {
  /** Object name of the ScheduledSparkApplication: a DNS label, unique in the environment. */
  readonly name: string;
  /** Template name (`npm run job -- list`), e.g. `'iceberg-compact'`. */
  readonly template: string;
  /** Tenant the job runs as; it must exist in the environment. */
  readonly tenant: string;
  /** When it runs, in UTC: a five-field cron that repeats every week, e.g. `'15 3 * * *'`. */
  readonly schedule: string;
  /** How long one run is expected to take, in whole minutes (the report and conflict checks read it). @default 30 */
  readonly expectedRuntimeMinutes?: number;
  /**
   * The template's parameters, named as `npm run job -- list` shows them (nested objects and lists as values).
   * @default {}
   */
  readonly parameters?: Readonly<Record<string, unknown>>;
}
