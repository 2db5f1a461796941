/**
 * What an environment costs every month before any job runs: the EKS control plane, NAT gateways (with their public
 * IPv4 addresses), interface endpoints, the system node group (instances and root volumes), the Polaris database and the
 * KMS keys, at the on-demand prices of config/prices.ts. Spark nodes, traffic, S3 and logs depend on use and are left out.
 */
import { EnvironmentConfig, PRICES } from '../../config';

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
  ];
  return {
    region: PRICES.region,
    pricesTakenOn: PRICES.takenOn,
    lines,
    monthly: lines.reduce((sum, l) => sum + l.monthly, 0),
  };
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
