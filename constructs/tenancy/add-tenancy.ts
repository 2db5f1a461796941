import { Construct } from 'constructs';
import { EnvironmentConfig, environmentError } from '../../config';
import { auditJobName, OFFLOAD_POD_LABEL, SPARK_JOB_LABEL } from '../conventions';
import { NetworkAllowRule } from './network-allow-rule';
import { RestrictedSecret } from './tenant-admission-policy';
import { SparkPriorityClasses } from './spark-priority-classes';
import { Tenant } from './tenant';
import { queueConfigProblems, YunikornQueueConfig } from './yunikorn-queue-config';

/** The charts tenancy adds to: cluster-wide and platform objects, and the tenants' namespaces. */
export interface TenancyCharts {
  /** Receives the PriorityClasses and YuniKorn's queue configuration. */
  readonly platform: Construct;
  /** Receives one Tenant per tenant. */
  readonly tenants: Construct;
}

/** What {@link addTenancy} built, for layers that add to it (e.g. ClickHouse egress for tenants with offload jobs). */
export interface Tenancy {
  /** The tenants by name. */
  readonly tenants: ReadonlyMap<string, Tenant>;
  readonly queueConfig: YunikornQueueConfig;
  readonly priorityClasses: SparkPriorityClasses;
}

/**
 * The traffic every tenant of the environment allows: DNS, its own namespace, Polaris, the API and AWS credentials for
 * drivers, and HTTPS to object storage.
 */
export function tenantNetworkRules(env: EnvironmentConfig): NetworkAllowRule[] {
  return [
    NetworkAllowRule.dns(),
    NetworkAllowRule.withinNamespace(),
    NetworkAllowRule.polarisCatalog(),
    NetworkAllowRule.kubernetesApi(env.network.vpcCidr),
    NetworkAllowRule.podIdentityAgent(),
    NetworkAllowRule.objectStorage(env.network.vpcCidr),
  ];
}

/**
 * The ClickHouse credentials of a tenant with offload runs: only its offload pods and its table groups' audit jobs
 * (the only Spark jobs that read ClickHouse) may reference the Secret.
 */
export function clickHouseSecrets(env: EnvironmentConfig, tenant: string): RestrictedSecret[] {
  if (!env.offload?.runs.some((run) => run.tenant === tenant)) return [];
  const audits = env.datasets.filter((d) => d.tenant === tenant).map((d) => auditJobName(d.name));
  return [
    {
      name: env.offload.clickhouse.credentialsSecret.name,
      consumers: [
        { labels: { [OFFLOAD_POD_LABEL.key]: OFFLOAD_POD_LABEL.value } },
        ...audits.map((job) => ({ labels: { [SPARK_JOB_LABEL]: job } })),
      ],
    },
  ];
}

/**
 * Adds the environment's tenancy: a Tenant per tenant, the Spark PriorityClasses and YuniKorn's queue configuration.
 * Tenants that cannot form a valid queue configuration are a ConfigError naming the file the environment was loaded
 * from (the schema has already refused what it can: budgets, guarantees, reserved names).
 */
export function addTenancy(charts: TenancyCharts, env: EnvironmentConfig): Tenancy {
  const problems = queueConfigProblems({ tenants: env.tenants, capacity: env.capacity.spark });
  if (problems.length > 0) {
    throw environmentError(
      env,
      problems.map((line) => ({
        path: ['tenants'],
        value: env.tenants.map((t) => t.name),
        expected: `tenants that form a valid YuniKorn queue configuration (${line})`,
      })),
    );
  }

  const priorityClasses = new SparkPriorityClasses(charts.platform, 'SparkPriorityClasses');
  const queueConfig = new YunikornQueueConfig(charts.platform, 'YunikornQueueConfig', {
    tenants: env.tenants,
    capacity: env.capacity.spark,
  });
  const networkRules = tenantNetworkRules(env);
  const tenants = new Map(
    env.tenants.map((t) => [
      t.name,
      new Tenant(charts.tenants, t.name, {
        name: t.name,
        owner: t.owner,
        budget: t.budget,
        networkRules,
        restrictedSecrets: clickHouseSecrets(env, t.name),
      }),
    ]),
  );
  return { tenants, queueConfig, priorityClasses };
}
