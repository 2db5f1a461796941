import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { DNS_LABEL, Problems } from '../../config';
import {
  MONITORING,
  PLATFORM_NAMESPACES,
  PLATFORM_SERVICE_ACCOUNTS,
  SPARK_DRIVER_SERVICE_ACCOUNT,
} from '../conventions';
import {
  ampRemoteWritePolicy,
  assumeRolePolicy,
  catalogStoragePolicy,
  catalogTrustPolicy,
  eventLogPolicy,
} from './policies';
import { PodIdentityRole } from './pod-identity-role';

/** Arguments of {@link DataPlaneIdentities}. */
export interface DataPlaneIdentitiesArgs {
  /** The cluster the Pod Identity associations are made in. */
  readonly clusterName: pulumi.Input<string>;
  readonly clusterArn: pulumi.Input<string>;
  /** The Iceberg warehouse bucket. */
  readonly warehouseBucketArn: pulumi.Input<string>;
  /** The Polaris catalog; its tables live under `s3://<warehouse>/<catalogName>/`, the only prefix the catalog role reaches. */
  readonly catalogName: string;
  /** Name of the catalog role (fixed so the Polaris role can be granted it before it exists; at most 64 characters). */
  readonly catalogRoleName: string;
  /** The Spark event-log bucket. */
  readonly eventLogBucketArn: pulumi.Input<string>;
  /** The KMS key of both buckets. */
  readonly storageKeyArn: pulumi.Input<string>;
  /** Tenant names (each is a namespace whose Spark drivers write event logs). */
  readonly tenants: readonly string[];
  /**
   * The AMP workspace the monitoring stack's Prometheus remote-writes to.
   * @default - no remote write, no role
   */
  readonly remoteWriteWorkspaceArn?: string;
}

/**
 * The data plane's IAM through EKS Pod Identity:
 * - Polaris (`polaris/polaris`) may only assume the catalog role;
 * - the catalog role, which Polaris vends table credentials from, reaches only the catalog's warehouse prefix and its
 *   key, and trusts only the Polaris role with a generated external ID;
 * - one Spark role per tenant (`<tenant>/spark-driver`) writes event logs and nothing else (table data comes from
 *   Polaris' vended credentials);
 * - the History Server reads event logs.
 */
export class DataPlaneIdentities extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:aws:DataPlaneIdentities';

  public readonly polarisRoleArn: pulumi.Output<string>;
  public readonly catalogRoleArn: pulumi.Output<string>;
  /** The external ID Polaris must present (catalog `storageConfigInfo.externalId`). */
  public readonly catalogExternalId: pulumi.Output<string>;
  /** Spark driver role per tenant. */
  public readonly sparkJobRoleArns: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly historyServerRoleArn: pulumi.Output<string>;

  constructor(name: string, args: DataPlaneIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DataPlaneIdentities.TYPE, name, {}, opts);
    const problems = new Problems(`${DataPlaneIdentities.TYPE} ${name}`);
    problems.check(
      /^[a-z][a-z0-9_]*$/.test(args.catalogName),
      'catalogName',
      args.catalogName,
      'a catalog name: lower-case letters, digits and "_"',
    );
    problems.check(
      /^[\w+=,.@-]{1,64}$/.test(args.catalogRoleName),
      'catalogRoleName',
      args.catalogRoleName,
      'an IAM role name of at most 64 characters',
    );
    problems.check(args.tenants.length > 0, 'tenants', args.tenants, 'at least one tenant');
    const badTenants = args.tenants.filter((t) => !DNS_LABEL.test(t));
    problems.check(badTenants.length === 0, 'tenants', badTenants, 'DNS labels (tenant names are namespaces)');
    problems.check(new Set(args.tenants).size === args.tenants.length, 'tenants', args.tenants, 'each tenant once');
    problems.throwIfAny();

    const parent = { parent: this };
    const cluster = { clusterName: args.clusterName, clusterArn: args.clusterArn };
    const identity = aws.getCallerIdentityOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent).partition;
    const catalogRoleArn = pulumi.interpolate`arn:${partition}:iam::${identity.accountId}:role/${args.catalogRoleName}`;

    const polaris = new PodIdentityRole(
      `${name}-polaris`,
      {
        ...cluster,
        namespace: PLATFORM_NAMESPACES.polaris,
        serviceAccount: PLATFORM_SERVICE_ACCOUNTS.polaris,
        policy: catalogRoleArn.apply(assumeRolePolicy),
      },
      parent,
    );
    const externalId = new random.RandomString(`${name}-catalog-external-id`, { length: 32, special: false }, parent);
    const catalogRole = new aws.iam.Role(
      `${name}-catalog`,
      {
        name: args.catalogRoleName,
        description: `Polaris catalog ${args.catalogName}: vended credentials for the warehouse`,
        assumeRolePolicy: pulumi
          .all([polaris.roleArn, externalId.result])
          .apply(([arn, id]) => JSON.stringify(catalogTrustPolicy(arn, id))),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-catalog-storage`,
      {
        role: catalogRole.name,
        policy: pulumi
          .all([args.warehouseBucketArn, args.storageKeyArn])
          .apply(([bucket, key]) => JSON.stringify(catalogStoragePolicy(bucket, args.catalogName, key))),
      },
      parent,
    );

    const eventLogs = (access: 'write' | 'read') =>
      pulumi
        .all([args.eventLogBucketArn, args.storageKeyArn])
        .apply(([bucket, key]) => eventLogPolicy(bucket, key, access));
    const spark = Object.fromEntries(
      args.tenants.map((tenant) => [
        tenant,
        new PodIdentityRole(
          `${name}-spark-${tenant}`,
          { ...cluster, namespace: tenant, serviceAccount: SPARK_DRIVER_SERVICE_ACCOUNT, policy: eventLogs('write') },
          parent,
        ).roleArn,
      ]),
    );
    const historyServer = new PodIdentityRole(
      `${name}-history-server`,
      {
        ...cluster,
        namespace: PLATFORM_NAMESPACES.historyServer,
        serviceAccount: PLATFORM_SERVICE_ACCOUNTS.historyServer,
        policy: eventLogs('read'),
      },
      parent,
    );

    if (args.remoteWriteWorkspaceArn !== undefined) {
      new PodIdentityRole(
        `${name}-prometheus`,
        {
          ...cluster,
          namespace: MONITORING.namespace,
          serviceAccount: MONITORING.prometheusServiceAccount,
          policy: ampRemoteWritePolicy(args.remoteWriteWorkspaceArn),
        },
        parent,
      );
    }

    this.polarisRoleArn = polaris.roleArn;
    this.catalogRoleArn = catalogRole.arn;
    this.catalogExternalId = externalId.result;
    this.sparkJobRoleArns = spark;
    this.historyServerRoleArn = historyServer.roleArn;
    this.registerOutputs({
      polarisRoleArn: this.polarisRoleArn,
      catalogRoleArn: this.catalogRoleArn,
      historyServerRoleArn: this.historyServerRoleArn,
    });
  }
}
