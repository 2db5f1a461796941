import { z } from 'zod';
import { VERSIONS } from '../versions';
import { vpcCidrProblem } from '../cidr';
import { cidr, count } from './common';
import { valueRule } from './rules';

/** How private subnets reach the internet: one shared NAT gateway (cheap, one AZ is a single point of failure) or one per AZ. */
export const NAT_MODES = ['single', 'perAz'] as const;
export type NatMode = (typeof NAT_MODES)[number];

/**
 * AWS services that can get an interface endpoint, so image pulls and STS do not pay for NAT. No `logs`: nothing in the
 * cluster ships logs to CloudWatch (control-plane logs go there from AWS's side), so its endpoint would serve nothing.
 */
export const INTERFACE_ENDPOINTS = ['ecr.api', 'ecr.dkr', 'sts'] as const;
export type InterfaceEndpoint = (typeof INTERFACE_ENDPOINTS)[number];

/** Kubernetes minors the package can create: those with pinned EKS add-on versions. */
export const CLUSTER_VERSIONS = Object.keys(VERSIONS.eksAddons) as (keyof typeof VERSIONS.eksAddons)[];
export type ClusterVersion = keyof typeof VERSIONS.eksAddons;

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Every default of the AWS layer, in one place; environment files override them. */
export const AWS_DEFAULTS = {
  network: { natGateways: 'single' as NatMode, interfaceEndpoints: [] as InterfaceEndpoint[] },
  cluster: {
    version: VERSIONS.kubernetes.cluster as ClusterVersion,
    publicAccessCidrs: [] as string[],
    deployerCidrs: [] as string[],
    admins: [] as string[],
    logRetentionDays: 90,
  },
  database: {
    instanceClass: 'db.t4g.medium',
    allocatedStorageGb: 20,
    maxAllocatedStorageGb: 100,
    backupRetentionDays: 7,
    multiAz: false,
  },
  eventLogRetentionDays: 30,
  deletionProtection: false,
} as const;

/** An IAM role or user ARN (access entries take the role, never an assumed-role session). */
const principalArn = z
  .string()
  .regex(
    /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/,
    'an IAM role or user ARN such as arn:aws:iam::111122223333:role/admin',
  );

/** The VPC the cluster runs in. */
export const NetworkSchema = z.strictObject({
  /** The VPC's IPv4 CIDR block (/16-/20, no host bits); network policies use it to reach the EKS API and endpoints. */
  vpcCidr: cidr.check(valueRule(vpcCidrProblem)),
  /** Availability zones to spread subnets over (2 in dev, 3 in prod). */
  availabilityZones: z.number().int().min(2, 'at least 2 availability zones').max(3, 'at most 3 availability zones'),
  /** `single` NAT gateway, or one NAT gateway `perAz` so losing an AZ does not cut the others off. */
  natGateways: z.enum(NAT_MODES).default(AWS_DEFAULTS.network.natGateways),
  /** Interface endpoints to create in the private subnets (the S3 gateway endpoint always exists). */
  interfaceEndpoints: z
    .array(z.enum(INTERFACE_ENDPOINTS))
    .default([...AWS_DEFAULTS.network.interfaceEndpoints])
    .refine((list) => new Set(list).size === list.length, 'each endpoint at most once'),
});

/** The EKS control plane. */
export const ClusterSchema = z
  .strictObject({
    /** Kubernetes minor of the control plane and its add-ons. */
    version: z.enum(CLUSTER_VERSIONS as [ClusterVersion, ...ClusterVersion[]]).default(AWS_DEFAULTS.cluster.version),
    /**
     * Source ranges allowed to reach the public API endpoint. Empty keeps the endpoint private only (deploy from inside the
     * VPC); a range open to the whole internet is refused.
     */
    publicAccessCidrs: z
      .array(
        cidr.refine((c) => !c.endsWith('/0'), 'a CIDR narrower than /0 (the API must not be open to the internet)'),
      )
      .default([...AWS_DEFAULTS.cluster.publicAccessCidrs]),
    /**
     * Private source ranges (VPN, peered or Transit Gateway networks, a CI runner's subnet) allowed to reach the API
     * endpoint's network interfaces on 443 through the cluster security group: how a deployer reaches a private endpoint.
     */
    deployerCidrs: z
      .array(cidr.refine((c) => !c.endsWith('/0'), 'a CIDR narrower than /0'))
      .default([...AWS_DEFAULTS.cluster.deployerCidrs]),
    /**
     * IAM principals granted cluster-admin through access entries. The cluster creator gets no implicit entry
     * (`bootstrapClusterCreatorAdminPermissions: false`), so the principal that runs `pulumi up` must be listed here.
     */
    admins: z
      .array(principalArn)
      .default([...AWS_DEFAULTS.cluster.admins])
      .refine((list) => new Set(list).size === list.length, 'each principal at most once'),
    /** Days control-plane logs are kept in CloudWatch. */
    logRetentionDays: z
      .number()
      .refine(
        (d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d),
        `one of the CloudWatch retention periods (${LOG_RETENTION_DAYS.join(', ')})`,
      )
      .default(AWS_DEFAULTS.cluster.logRetentionDays),
  })
  .superRefine((cluster, ctx) => {
    if (cluster.admins.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['admins'],
        message: 'at least one principal, the deployer included (the cluster creator gets no implicit access entry)',
      });
    // The platform project talks to the API: with no public range, only a declared private range can reach it.
    if (cluster.publicAccessCidrs.length === 0 && cluster.deployerCidrs.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['deployerCidrs'],
        message:
          'at least one range when publicAccessCidrs is empty (a private endpoint is reachable only from the declared deployer ranges)',
      });
  });

/** The PostgreSQL instance behind Polaris. */
export const DatabaseSchema = z
  .strictObject({
    /** RDS instance class. */
    instanceClass: z
      .string()
      .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'an RDS instance class such as db.t4g.medium')
      .default(AWS_DEFAULTS.database.instanceClass),
    /** Storage allocated at creation, in GiB (RDS minimum 20). */
    allocatedStorageGb: count(20).default(AWS_DEFAULTS.database.allocatedStorageGb),
    /** Ceiling for storage autoscaling, in GiB. */
    maxAllocatedStorageGb: count(20).default(AWS_DEFAULTS.database.maxAllocatedStorageGb),
    /** Days automated backups are kept (1-35). */
    backupRetentionDays: count(1)
      .max(35, 'at most 35 days (the RDS limit)')
      .default(AWS_DEFAULTS.database.backupRetentionDays),
    /** A standby in a second AZ. */
    multiAz: z.boolean().default(AWS_DEFAULTS.database.multiAz),
  })
  .refine((db) => db.maxAllocatedStorageGb >= db.allocatedStorageGb, {
    path: ['maxAllocatedStorageGb'],
    message: 'at least allocatedStorageGb (storage autoscaling cannot shrink)',
  });

/** AWS settings beyond the network. */
export const AwsSchema = z.strictObject({
  cluster: ClusterSchema.prefault({}),
  database: DatabaseSchema.prefault({}),
  /** Days Spark event logs are kept before S3 expires them. */
  eventLogRetentionDays: count(1).default(AWS_DEFAULTS.eventLogRetentionDays),
  /**
   * Guard stateful resources (warehouse bucket and key, catalog database) against deletion: Pulumi `protect` and
   * `retainOnDelete`, RDS and EKS deletion protection, a final database snapshot.
   */
  deletionProtection: z.boolean().default(AWS_DEFAULTS.deletionProtection),
});

export type NetworkConfig = z.infer<typeof NetworkSchema>;
export type ClusterConfig = z.infer<typeof ClusterSchema>;
export type DatabaseConfig = z.infer<typeof DatabaseSchema>;
export type AwsConfig = z.infer<typeof AwsSchema>;
