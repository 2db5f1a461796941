import { z } from 'zod';
import { AwsSchema, NetworkSchema } from './aws';
import { awsRegion, DNS_LABEL } from './common';
import { MonitoringSchema } from './monitoring';
import { OffloadSchema } from './offload';
import { CapacitySchema, CatalogSchema, StorageSchema } from './platform';
import { ServicesSchema } from './services';
import { tenantCapacityIssues, TenantSchema } from './tenants';
import { checkWorkloads, WORKLOADS_SHAPE } from './workloads';

/** The environments the package ships; each has one file `environments/<name>.yaml`. */
export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** The environment a command uses when none is named. */
export const DEFAULT_ENVIRONMENT: EnvironmentName = 'dev';

/** One environment, described once: read by the cdk8s app and by the Pulumi program alike. */
export const EnvironmentSchema = z
  .strictObject({
    /** Must equal the file name (dev, staging, prod). */
    name: z.enum(ENVIRONMENT_NAMES),
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
  });

export type EnvironmentConfig = z.infer<typeof EnvironmentSchema>;
