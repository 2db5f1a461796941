/**
 * On-demand list prices the cost report multiplies the stack's always-on resources by, for one region, in USD. One
 * table, so a price or region change is a one-line edit; `npm run report` states the region and date beside each figure.
 *
 * Provenance (taken 2026-12-04):
 * - `eksControlPlaneHour` (standard and extended support): the AWS Containers blog "Amazon EKS extended support for
 *   Kubernetes versions pricing" ($0.10 per cluster-hour in standard support, $0.60 in extended support), a
 *   region-independent price.
 * - Every other figure is the eu-west-1 list price as published on the AWS pricing pages (EC2 On-Demand, RDS for
 *   PostgreSQL, VPC/NAT gateway and PrivateLink, public IPv4, EBS, KMS), written down from those pages without being
 *   re-checked from this machine: the price pages and the Price List API were out of reach here. They are marked
 *   `verified: false` and must be checked against https://aws.amazon.com/pricing/ (or `aws pricing get-products`)
 *   before the report's figures are quoted as a budget.
 */
export const PRICES = {
  region: 'eu-west-1',
  takenOn: '2026-12-04',
  verified: { eksControlPlaneHour: true, everythingElse: false },
  hoursPerMonth: 730,
  eksControlPlaneHour: { standard: 0.1, extended: 0.6 },
  natGatewayHour: 0.048,
  /** Every public IPv4 address (the NAT gateways' Elastic IPs). */
  publicIpv4Hour: 0.005,
  /** Per interface endpoint and availability zone. */
  interfaceEndpointAzHour: 0.011,
  kmsKeyMonth: 1,
  ebsGp3GbMonth: 0.088,
  /** EC2 Linux on-demand, with the shape the report and Karpenter's system pool limits need. */
  ec2: {
    't4g.large': { cpu: 2, memoryGiB: 8, hour: 0.0736 },
    't4g.xlarge': { cpu: 4, memoryGiB: 16, hour: 0.1472 },
    'm7g.large': { cpu: 2, memoryGiB: 8, hour: 0.0892 },
    'm7g.xlarge': { cpu: 4, memoryGiB: 16, hour: 0.1784 },
    'm7g.2xlarge': { cpu: 8, memoryGiB: 32, hour: 0.3568 },
    'm6i.large': { cpu: 2, memoryGiB: 8, hour: 0.107 },
    'm6i.xlarge': { cpu: 4, memoryGiB: 16, hour: 0.214 },
    'm6i.2xlarge': { cpu: 8, memoryGiB: 32, hour: 0.428 },
    'm6i.4xlarge': { cpu: 16, memoryGiB: 64, hour: 0.856 },
    'm7i.large': { cpu: 2, memoryGiB: 8, hour: 0.1124 },
    'm7i.xlarge': { cpu: 4, memoryGiB: 16, hour: 0.2248 },
    'm7i.2xlarge': { cpu: 8, memoryGiB: 32, hour: 0.4496 },
  },
  /** RDS for PostgreSQL, single-AZ instance-hours (Multi-AZ bills two). */
  rdsPostgresHour: {
    'db.t4g.micro': 0.018,
    'db.t4g.small': 0.036,
    'db.t4g.medium': 0.072,
    'db.t4g.large': 0.144,
    'db.r7g.large': 0.268,
  },
  /** RDS gp3 storage, per GB-month and per copy (Multi-AZ stores two). */
  rdsGp3GbMonth: 0.127,
} as const;

export type PricedInstanceType = keyof typeof PRICES.ec2;
export type PricedDatabaseClass = keyof typeof PRICES.rdsPostgresHour;
