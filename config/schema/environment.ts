import { z } from 'zod';
import { clickHouseCidrProblem } from '../clickhouse';
import { keyPathText } from '../key-path';
import { AwsSchema, NetworkSchema } from './aws';
import { awsRegion, DNS_LABEL, dnsLabel } from './common';
import { catalogAccessProblems, writtenNamespaces } from './catalog-access';
import { MonitoringSchema } from './monitoring';
import { OffloadSchema } from './offload';
import { CapacitySchema, CatalogSchema, StorageSchema } from './platform';
import { crossFieldRule } from './rules';
import { ServicesSchema } from './services';
import { tenantCapacityIssues, TenantSchema } from './tenants';
import { checkWorkloads, maxDatasetName, WORKLOADS_SHAPE } from './workloads';

/**
 * The environments the package ships, each one file `environments/<name>.yaml`. They are examples, not a closed list:
 * any `<name>.yaml` in the environments folder is an environment (see `environmentNames`).
 */
export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
/** An environment's name: the name of its file, a DNS label. */
export type EnvironmentName = string;

/** The environment a command uses when none is named. */
export const DEFAULT_ENVIRONMENT: EnvironmentName = 'dev';

/** One environment, described once: read by the cdk8s app and by the Pulumi program alike. */
export const EnvironmentSchema = z
  .strictObject({
    /** Must equal the file name without `.yaml`; it names the cluster, the stack and the `dist/<name>/` folder. */
    name: dnsLabel(30),
    /** AWS region the stack deploys to. */
    region: awsRegion,
    network: NetworkSchema,
    /** The AWS layer beyond the network: EKS, the catalog database, retention and deletion protection. */
    aws: AwsSchema.prefault({}),
    capacity: CapacitySchema,
    storage: StorageSchema,
    catalog: CatalogSchema,
    /** The teams that run Spark jobs; one namespace each. */
    tenants: z.array(TenantSchema).min(1, 'at least one tenant'),
    services: ServicesSchema.optional(),
    /** Hourly ClickHouse -> Iceberg offload runs; none when absent. */
    offload: OffloadSchema.optional(),
    /** Metrics, alerts and dashboards; by default the package installs kube-prometheus-stack with its defaults. */
    monitoring: MonitoringSchema.prefault({}),
    ...WORKLOADS_SHAPE,
  })
  .superRefine((env, ctx) => {
    const seen = new Map<string, number>();
    env.tenants.forEach((tenant, index) => {
      const first = seen.get(tenant.name);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', index, 'name'],
          message: `a tenant name not already used by tenants[${first}]`,
        });
      } else {
        seen.set(tenant.name, index);
      }
    });
    // A tenant with an invalid name is reported above; its runs would only repeat that problem.
    const tenantsValid = env.tenants.every((tenant) => DNS_LABEL.test(tenant.name));
    env.offload?.runs.forEach((run, index) => {
      if (tenantsValid && !seen.has(run.tenant)) {
        ctx.addIssue({
          code: 'custom',
          path: ['offload', 'runs', index, 'tenant'],
          message: `one of the tenants (${[...seen.keys()].join(', ')})`,
        });
      }
    });
    for (const issue of tenantCapacityIssues(env.tenants, env.capacity.spark)) {
      ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
    }
    checkWorkloads(env, ctx);
  })
  .check(
    crossFieldRule<Env>([['tenants'], ['datasets'], ['services']], (env) =>
      catalogAccessProblems({
        tenants: env.tenants.map((t) => t.name),
        access: env.services?.polaris?.catalogAccess ?? {},
        datasets: env.datasets,
        at: CATALOG_ACCESS_PATH,
      }),
    ),
    crossFieldRule<Env>([['tenants'], ['datasets'], ['services'], ['offload']], (env) => {
      // The jobs that write a namespace run as a tenant: its grants must include the namespace.
      const access = { access: env.services?.polaris?.catalogAccess ?? {} };
      const missing = (tenant: string, ns: string) =>
        env.tenants.some((t) => t.name === tenant) && !writtenNamespaces(access, tenant).includes(ns);
      const expected = (tenant: string) =>
        `a namespace tenant '${tenant}' writes (${keyPathText([...CATALOG_ACCESS_PATH, tenant, 'write'])}): its jobs write there`;
      return [
        ...env.datasets.flatMap((d, i) =>
          missing(d.tenant, d.namespace) ? [{ path: ['datasets', i, 'namespace'], expected: expected(d.tenant) }] : [],
        ),
        ...(env.offload?.runs ?? []).flatMap((run, i) =>
          run.tables.flatMap((t, j) =>
            missing(run.tenant, t.target.namespace)
              ? [{ path: ['offload', 'runs', i, 'tables', j, 'target', 'namespace'], expected: expected(run.tenant) }]
              : [],
          ),
        ),
      ];
    }),
    crossFieldRule<Env>([['datasets'], ['services']], (env) => {
      const max = maxDatasetName(env.services?.sparkOperator?.runTimestampPrecision);
      return env.datasets.flatMap((d, i) =>
        d.name.length > max
          ? [{ path: ['datasets', i, 'name'], expected: `a DNS label of at most ${max} characters` }]
          : [],
      );
    }),
    crossFieldRule<Env>([['network'], ['offload']], (env) =>
      (env.offload?.clickhouse.cidrs ?? []).flatMap((c, i) => {
        const expected = clickHouseCidrProblem(c, env.network.vpcCidr);
        return expected ? [{ path: ['offload', 'clickhouse', 'cidrs', i], expected }] : [];
      }),
    ),
  );

/** Where catalog access sits in the environment file. */
const CATALOG_ACCESS_PATH = ['services', 'polaris', 'catalogAccess'] as const;

export type EnvironmentConfig = z.infer<typeof EnvironmentSchema>;

/** The shape the environment-wide rules read (they run on values that passed their own checks). */
type Env = Pick<EnvironmentConfig, 'tenants' | 'datasets' | 'services' | 'offload' | 'network'>;
