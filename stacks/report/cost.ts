/**
 * What an environment costs every month before any job runs: the EKS control plane, NAT gateways (with their public
 * IPv4 addresses), interface endpoints, the system node group (instances and root volumes), the Polaris database and the
 * KMS keys, and the monitoring stack's Prometheus volumes (its pods' requests are among the services on the system nodes),
 * at the on-demand prices of config/prices.ts. Traffic, S3, logs and AMP samples depend on use and are left out; Spark
 * nodes appear only as each tenant's share ({@link tenantCosts}).
 */
import { EnvironmentConfig, parseQuantity, PRICES, PricedInstanceType } from '../../config';
import { RELEASE_DEFAULTS } from '../../constructs/releases/defaults';
import { ScheduledJob } from './jobs';
import { Run } from './timeline';
import type { AlwaysOnService } from './usage';

/** The KMS keys the infrastructure project creates: Kubernetes Secrets, the buckets, the database. */
export const KMS_KEYS_PER_ENVIRONMENT = 3;
/** Root volume of each system node, GiB (SystemNodeGroup's default). */
export const SYSTEM_NODE_DISK_GB = 50;

export interface CostLine {
  readonly item: string;
  readonly detail: string;
  readonly monthly: number;
}

export interface AlwaysOnCost {
  readonly region: string;
  readonly pricesTakenOn: string;
  readonly lines: readonly CostLine[];
  readonly monthly: number;
}

/** The always-on monthly cost of one environment; an instance type or class missing from the price table is an error. */
export function alwaysOnCost(env: EnvironmentConfig): AlwaysOnCost {
  const h = PRICES.hoursPerMonth;
  const azs = env.network.availabilityZones;
  const nats = env.network.natGateways === 'perAz' ? azs : 1;
  const endpoints = env.network.interfaceEndpoints.length;
  const sys = env.capacity.system;
  const nodeType = sys.instanceTypes[0];
  const node = PRICES.ec2[nodeType as keyof typeof PRICES.ec2];
  const db = env.aws.database;
  const dbHour = PRICES.rdsPostgresHour[db.instanceClass as keyof typeof PRICES.rdsPostgresHour];
  const missing = [
    ...(node ? [] : [`instance type ${nodeType}`]),
    ...(dbHour === undefined ? [`database class ${db.instanceClass}`] : []),
  ];
  if (missing.length > 0) throw new Error(`${env.name}: no price in config/prices.ts for ${missing.join(', ')}`);
  const copies = db.multiAz ? 2 : 1;
  const lines: CostLine[] = [
    {
      item: 'EKS control plane',
      detail: `1 cluster, standard support ($${PRICES.eksControlPlaneHour.extended}/h once in extended support)`,
      monthly: PRICES.eksControlPlaneHour.standard * h,
    },
    {
      item: 'NAT gateways',
      detail: `${nats} x (gateway + public IPv4)`,
      monthly: nats * (PRICES.natGatewayHour + PRICES.publicIpv4Hour) * h,
    },
    {
      item: 'interface endpoints',
      detail: `${endpoints} endpoints x ${azs} AZs`,
      monthly: endpoints * azs * PRICES.interfaceEndpointAzHour * h,
    },
    {
      item: 'system nodes',
      detail: `${sys.minNodes} x ${nodeType} + ${SYSTEM_NODE_DISK_GB} GB gp3 each`,
      monthly: sys.minNodes * (node.hour * h + SYSTEM_NODE_DISK_GB * PRICES.ebsGp3GbMonth),
    },
    {
      item: 'Polaris database',
      detail: `${db.instanceClass}${db.multiAz ? ' Multi-AZ' : ''} + ${db.allocatedStorageGb} GB gp3`,
      monthly: copies * (dbHour * h + db.allocatedStorageGb * PRICES.rdsGp3GbMonth),
    },
    {
      item: 'KMS keys',
      detail: `${KMS_KEYS_PER_ENVIRONMENT} keys`,
      monthly: KMS_KEYS_PER_ENVIRONMENT * PRICES.kmsKeyMonth,
    },
    ...prometheusVolumes(env),
  ];
  return {
    region: PRICES.region,
    pricesTakenOn: PRICES.takenOn,
    lines,
    monthly: lines.reduce((sum, l) => sum + l.monthly, 0),
  };
}

/** The persistent volumes of the Prometheus replicas this package installs (none with an existing Prometheus). */
function prometheusVolumes(env: EnvironmentConfig): CostLine[] {
  if (env.monitoring.existingPrometheus) return [];
  const prometheus = env.monitoring.stack?.prometheus;
  const defaults = RELEASE_DEFAULTS.monitoring.prometheus;
  const replicas = prometheus?.replicas ?? defaults.replicas;
  const gb = parseQuantity(prometheus?.storage ?? defaults.storage) / 2 ** 30;
  return [
    {
      item: 'monitoring volumes',
      detail: `${replicas} x ${gb} GiB gp3 for Prometheus`,
      monthly: replicas * gb * PRICES.ebsGp3GbMonth,
    },
  ];
}

/** `$1,234.56`. */
export function usd(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** The report's cost lines: the total, then one line per item. */
export function costText(cost: AlwaysOnCost): string[] {
  return [
    `always-on cost: ${usd(cost.monthly)}/month (${cost.region} on-demand prices of ${cost.pricesTakenOn}, config/prices.ts)`,
    ...cost.lines.map((l) => `  - ${l.item}: ${usd(l.monthly)} (${l.detail})`),
  ];
}

/**
 * The instance type tenant Spark usage is priced at: an on-demand type the Spark NodePools may launch (amd64, category
 * c/m/r, generation above 5). Executors run on spot, which costs less, so a tenant's figure is an upper bound.
 */
export const SPARK_PRICE_REFERENCE: PricedInstanceType = 'm6i.xlarge';

/** What one tenant's own Spark use costs per month; the always-on platform is shared and not split. */
export interface TenantCost {
  readonly tenant: string;
  readonly jobs: number;
  /** The tenant's scheduled jobs, CPU-hours per day (weekly average). */
  readonly cpuHoursPerDay: number;
  /** The scheduled jobs' runs, priced at {@link SPARK_PRICE_REFERENCE}. */
  readonly batchMonthly: number;
  /** The tenant's idle Spark Connect servers, held around the clock. */
  readonly interactiveMonthly: number;
  readonly monthly: number;
}

/**
 * Each tenant's share of Spark nodes: a pod set holding `cpu` cores and `memory` bytes for an hour pays for the larger
 * of its CPU and memory fractions of a {@link SPARK_PRICE_REFERENCE} node-hour. Tenants without jobs are listed too.
 */
export function tenantCosts(
  tenants: readonly string[],
  jobs: readonly ScheduledJob[],
  runs: readonly Run[],
  idleServers: readonly AlwaysOnService[],
): TenantCost[] {
  const node = PRICES.ec2[SPARK_PRICE_REFERENCE];
  const hourly = (cpu: number, memory: number) =>
    Math.max(cpu / node.cpu, memory / 2 ** 30 / node.memoryGiB) * node.hour;
  const weeksPerMonth = PRICES.hoursPerMonth / (7 * 24);
  return tenants.map((tenant) => {
    const own = runs.filter((r) => r.job.tenant === tenant);
    const hours = (r: Run) => (r.end - r.start) / 60;
    const batchMonthly = own.reduce((n, r) => n + hourly(r.job.cpu, r.job.memory) * hours(r), 0) * weeksPerMonth;
    const interactiveMonthly = idleServers
      .filter((s) => s.tenant === tenant)
      .reduce((n, s) => n + hourly(s.cpu * s.replicas, s.memory * s.replicas) * PRICES.hoursPerMonth, 0);
    return {
      tenant,
      jobs: jobs.filter((j) => j.tenant === tenant).length,
      cpuHoursPerDay: own.reduce((n, r) => n + r.job.cpu * hours(r), 0) / 7,
      batchMonthly,
      interactiveMonthly,
      monthly: batchMonthly + interactiveMonthly,
    };
  });
}
