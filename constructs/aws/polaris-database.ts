import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { AWS_DEFAULTS, Problems, VERSIONS } from '../../config';
import { createEncryptionKey } from './factories';
import { ResourceProtection, statefulResourceOptions, UNPROTECTED } from './protection';

/** PostgreSQL's port. */
export const POSTGRES_PORT = 5432;

/** Arguments of {@link PolarisDatabase}. */
export interface PolarisDatabaseArgs {
  /** VPC of the database. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets (at least 2 AZs, an RDS requirement). */
  readonly subnetIds: pulumi.Input<string>[];
  /** Security groups allowed to connect (the cluster's node security group: Polaris pods use it). */
  readonly clientSecurityGroupIds: pulumi.Input<string>[];
  /**
   * RDS instance class.
   * @default 'db.t4g.medium'
   */
  readonly instanceClass?: string;
  /**
   * Storage at creation, in GiB.
   * @default 20
   */
  readonly allocatedStorageGb?: number;
  /**
   * Ceiling for storage autoscaling, in GiB.
   * @default 100
   */
  readonly maxAllocatedStorageGb?: number;
  /**
   * Days automated backups are kept (1-35).
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * A synchronous standby in another AZ.
   * @default false
   */
  readonly multiAz?: boolean;
  /**
   * Database created for Polaris.
   * @default 'polaris'
   */
  readonly databaseName?: string;
  /**
   * Master user Polaris connects as.
   * @default 'polaris'
   */
  readonly username?: string;
  /**
   * Deletion protection, `protect`/`retainOnDelete` and a final snapshot.
   * @default UNPROTECTED
   */
  readonly protection?: ResourceProtection;
}

/**
 * PostgreSQL on RDS for Polaris' `relational-jdbc` persistence: encrypted with its own key, TLS enforced, automated
 * backups, reachable only from the given security groups on 5432, and a password generated at deploy time (kept
 * secret in the stack state; the platform layer writes it into the Polaris persistence Secret).
 */
export class PolarisDatabase extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:aws:PolarisDatabase';

  public readonly host: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly databaseName: string;
  public readonly username: string;
  /** Secret output. */
  public readonly password: pulumi.Output<string>;
  /** `jdbc:postgresql://<host>:<port>/<db>?sslmode=require`, the Polaris chart's `jdbcUrl`. */
  public readonly jdbcUrl: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly protection: ResourceProtection;

  constructor(name: string, args: PolarisDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PolarisDatabase.TYPE, name, {}, opts);
    const d = AWS_DEFAULTS.database;
    const instanceClass = args.instanceClass ?? d.instanceClass;
    const allocated = args.allocatedStorageGb ?? d.allocatedStorageGb;
    const maxAllocated = args.maxAllocatedStorageGb ?? d.maxAllocatedStorageGb;
    const backups = args.backupRetentionDays ?? d.backupRetentionDays;
    this.databaseName = args.databaseName ?? 'polaris';
    this.username = args.username ?? 'polaris';
    this.protection = args.protection ?? UNPROTECTED;
    const problems = new Problems(`${PolarisDatabase.TYPE} ${name}`);
    problems.check(
      /^db\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceClass),
      'instanceClass',
      instanceClass,
      'an RDS instance class such as db.t4g.medium',
    );
    problems.check(
      Number.isInteger(allocated) && allocated >= 20,
      'allocatedStorageGb',
      allocated,
      'a whole number of GiB >= 20',
    );
    problems.check(
      Number.isInteger(maxAllocated) && maxAllocated >= allocated,
      'maxAllocatedStorageGb',
      maxAllocated,
      `a whole number of GiB >= allocatedStorageGb (${allocated})`,
    );
    problems.check(
      Number.isInteger(backups) && backups >= 1 && backups <= 35,
      'backupRetentionDays',
      backups,
      '1 to 35 days (0 would turn backups off)',
    );
    problems.check(
      /^[a-z][a-z0-9_]{0,62}$/.test(this.databaseName),
      'databaseName',
      this.databaseName,
      'a PostgreSQL identifier: lower-case letter first, then letters, digits, "_"',
    );
    problems.check(
      /^[a-z][a-z0-9_]{0,62}$/.test(this.username) && this.username !== 'postgres',
      'username',
      this.username,
      'a PostgreSQL identifier other than "postgres"',
    );
    problems.check(
      args.subnetIds.length >= 2,
      'subnetIds',
      args.subnetIds.length,
      'subnets in at least 2 availability zones',
    );
    problems.check(
      args.clientSecurityGroupIds.length > 0,
      'clientSecurityGroupIds',
      args.clientSecurityGroupIds.length,
      'at least one security group allowed to connect',
    );
    problems.throwIfAny();

    const parent = { parent: this };
    const guarded = { parent: this, ...statefulResourceOptions(this.protection) };
    const key = createEncryptionKey(`${name}-key`, 'Encryption of the Polaris metastore database', guarded);
    // Letters and digits only: nothing to escape in a JDBC property, a Secret or a shell.
    const password = new random.RandomPassword(`${name}-password`, { length: 40, special: false }, parent);
    const subnets = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { subnetIds: args.subnetIds, description: 'Private subnets of the Polaris database' },
      parent,
    );
    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: 'Polaris database: PostgreSQL from the cluster only' },
      parent,
    );
    args.clientSecurityGroupIds.forEach(
      (client, i) =>
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-from-client-${i}`,
          {
            securityGroupId: sg.id,
            referencedSecurityGroupId: client,
            ipProtocol: 'tcp',
            fromPort: POSTGRES_PORT,
            toPort: POSTGRES_PORT,
            description: 'PostgreSQL from the cluster',
          },
          parent,
        ),
    );
    const parameters = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        family: VERSIONS.postgres.parameterGroupFamily,
        description: 'Polaris metastore: TLS only',
        parameters: [{ name: 'rds.force_ssl', value: '1' }],
      },
      parent,
    );
    const instance = new aws.rds.Instance(
      `${name}-db`,
      {
        engine: 'postgres',
        engineVersion: VERSIONS.postgres.engineVersion,
        instanceClass,
        allocatedStorage: allocated,
        maxAllocatedStorage: maxAllocated,
        storageType: 'gp3',
        storageEncrypted: true,
        kmsKeyId: key.arn,
        dbName: this.databaseName,
        username: this.username,
        password: password.result,
        port: POSTGRES_PORT,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [sg.id],
        parameterGroupName: parameters.name,
        publiclyAccessible: false,
        multiAz: args.multiAz ?? d.multiAz,
        backupRetentionPeriod: backups,
        copyTagsToSnapshot: true,
        autoMinorVersionUpgrade: true,
        // A bump of VERSIONS.postgres.engineVersion is a major upgrade; RDS refuses it without this flag.
        allowMajorVersionUpgrade: true,
        deletionProtection: this.protection.deletionProtection,
        skipFinalSnapshot: !this.protection.deletionProtection,
        ...(this.protection.deletionProtection ? { finalSnapshotIdentifier: `${name}-final` } : {}),
      },
      guarded,
    );

    this.host = instance.address;
    this.port = instance.port;
    this.password = pulumi.secret(password.result);
    this.securityGroupId = sg.id;
    this.jdbcUrl = pulumi.interpolate`jdbc:postgresql://${instance.address}:${instance.port}/${this.databaseName}?sslmode=require`;
    this.registerOutputs({ host: this.host, port: this.port, jdbcUrl: this.jdbcUrl, password: this.password });
  }
}
