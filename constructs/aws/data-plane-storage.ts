import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { AWS_DEFAULTS, bucketNameProblem, DNS_LABEL, EVENT_LOG_BUCKET_EXPECTED, Problems } from '../../config';
import { SPARK_EVENTS_PREFIX, tenantEventLogPrefix } from '../conventions';
import { createEncryptionKey } from './factories';
import { tlsOnlyBucketPolicy } from './policies';
import { ResourceProtection, statefulResourceOptions, UNPROTECTED } from './protection';

/** Days after which an unfinished multipart upload (a killed Spark task's partial file) is cleaned up. */
export const ABORT_INCOMPLETE_UPLOADS_DAYS = 7;

/** Arguments of {@link DataPlaneStorage}. */
export interface DataPlaneStorageArgs {
  /** Name of the Iceberg warehouse bucket. */
  readonly warehouseBucket: string;
  /** Name of the Spark event-log bucket. */
  readonly eventLogBucket: string;
  /** Tenants whose event-log prefixes (`spark-events/<tenant>/`) are created up front. */
  readonly tenants: readonly string[];
  /**
   * Days before event logs expire.
   * @default 30
   */
  readonly eventLogRetentionDays?: number;
  /**
   * Days a replaced or deleted warehouse object version is kept (the warehouse is versioned to undo accidents).
   * @default 30
   */
  readonly warehouseNoncurrentDays?: number;
  /**
   * Protection of the warehouse bucket and of the key that encrypts both buckets. Unprotected buckets are
   * `forceDestroy` (emptied, old versions included, on destroy); protected ones never are.
   * @default UNPROTECTED
   */
  readonly protection?: ResourceProtection;
}

/**
 * The warehouse and event-log buckets: SSE-KMS with a dedicated key (S3 Bucket Keys on), all public access blocked,
 * object ownership enforced, TLS-only bucket policies, and lifecycle rules (event logs expire; the warehouse keeps
 * old versions for a while). The event-log prefixes exist before any job (Spark's event-log writer and the History
 * Server both stop on a missing directory); the lifecycle rule spares their markers. In protected environments the
 * warehouse and the key cannot be deleted by Pulumi; elsewhere both buckets can be destroyed with their contents.
 */
export class DataPlaneStorage extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:aws:DataPlaneStorage';

  public readonly warehouseBucketName: pulumi.Output<string>;
  public readonly warehouseBucketArn: pulumi.Output<string>;
  public readonly eventLogBucketName: pulumi.Output<string>;
  public readonly eventLogBucketArn: pulumi.Output<string>;
  /** The KMS key both buckets are encrypted with; readers and writers need it. */
  public readonly keyArn: pulumi.Output<string>;
  /** The protection applied to the warehouse bucket and the key. */
  public readonly protection: ResourceProtection;
  /** The event-log directory markers: `spark-events/` and one per tenant. */
  public readonly eventLogDirectories: aws.s3.BucketObjectv2[];

  constructor(name: string, args: DataPlaneStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super(DataPlaneStorage.TYPE, name, {}, opts);
    const eventLogDays = args.eventLogRetentionDays ?? AWS_DEFAULTS.eventLogRetentionDays;
    const noncurrentDays = args.warehouseNoncurrentDays ?? 30;
    this.protection = args.protection ?? UNPROTECTED;
    const problems = new Problems(`${DataPlaneStorage.TYPE} ${name}`);
    for (const key of ['warehouseBucket', 'eventLogBucket'] as const) {
      const expected = bucketNameProblem(args[key]);
      if (expected) problems.add(key, args[key], expected);
    }
    problems.check(
      args.warehouseBucket !== args.eventLogBucket,
      'eventLogBucket',
      args.eventLogBucket,
      EVENT_LOG_BUCKET_EXPECTED,
    );
    problems.check(
      Number.isInteger(eventLogDays) && eventLogDays >= 1,
      'eventLogRetentionDays',
      eventLogDays,
      'a whole number of days >= 1',
    );
    problems.check(
      Number.isInteger(noncurrentDays) && noncurrentDays >= 1,
      'warehouseNoncurrentDays',
      noncurrentDays,
      'a whole number of days >= 1',
    );
    const badTenants = args.tenants.filter((t) => !DNS_LABEL.test(t));
    problems.check(badTenants.length === 0, 'tenants', badTenants, 'tenant names (DNS labels)');
    problems.throwIfAny();

    const guarded = { parent: this, ...statefulResourceOptions(this.protection) };
    const key = createEncryptionKey(
      `${name}-key`,
      'S3 encryption of the Iceberg warehouse and Spark event logs',
      guarded,
    );

    const bucket = (
      role: string,
      bucketName: string,
      versioned: boolean,
      lifecycle: aws.types.input.s3.BucketLifecycleConfigurationRule,
      opts: pulumi.CustomResourceOptions,
    ) => {
      const parent = { parent: this };
      const b = new aws.s3.Bucket(
        `${name}-${role}`,
        { bucket: bucketName, forceDestroy: !this.protection.protect },
        opts,
      );
      const block = new aws.s3.BucketPublicAccessBlock(
        `${name}-${role}-public-access`,
        {
          bucket: b.id,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
        parent,
      );
      new aws.s3.BucketOwnershipControls(
        `${name}-${role}-ownership`,
        { bucket: b.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
        parent,
      );
      new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-${role}-encryption`,
        {
          bucket: b.id,
          rules: [
            {
              applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn },
              bucketKeyEnabled: true,
            },
          ],
        },
        parent,
      );
      if (versioned)
        new aws.s3.BucketVersioning(
          `${name}-${role}-versioning`,
          { bucket: b.id, versioningConfiguration: { status: 'Enabled' } },
          parent,
        );
      new aws.s3.BucketPolicy(
        `${name}-${role}-tls-only`,
        { bucket: b.id, policy: b.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) },
        { parent: this, dependsOn: [block] },
      );
      new aws.s3.BucketLifecycleConfiguration(
        `${name}-${role}-lifecycle`,
        { bucket: b.id, rules: [lifecycle] },
        parent,
      );
      return b;
    };
    const abortUploads = { daysAfterInitiation: ABORT_INCOMPLETE_UPLOADS_DAYS };
    const warehouse = bucket(
      'warehouse',
      args.warehouseBucket,
      true,
      {
        id: 'expire-old-versions',
        status: 'Enabled',
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays },
        abortIncompleteMultipartUpload: abortUploads,
      },
      guarded,
    );
    const eventLogs = bucket(
      'event-logs',
      args.eventLogBucket,
      false,
      {
        id: 'expire-event-logs',
        status: 'Enabled',
        // Only objects with content: the zero-byte directory markers below must outlive the retention period.
        filter: { objectSizeGreaterThan: 0 },
        expiration: { days: eventLogDays },
        abortIncompleteMultipartUpload: abortUploads,
      },
      { parent: this },
    );
    // S3A sees a directory where a zero-byte object named `<prefix>/` exists.
    const markers = [`${SPARK_EVENTS_PREFIX}/`, ...args.tenants.map(tenantEventLogPrefix)];
    this.eventLogDirectories = markers.map(
      (key) =>
        new aws.s3.BucketObjectv2(
          `${name}-event-log-dir-${key.replace(/\/$/, '').replace(/\//g, '-')}`,
          { bucket: eventLogs.bucket, key, content: '', contentType: 'application/x-directory' },
          { parent: this },
        ),
    );

    this.warehouseBucketName = warehouse.bucket;
    this.warehouseBucketArn = warehouse.arn;
    this.eventLogBucketName = eventLogs.bucket;
    this.eventLogBucketArn = eventLogs.arn;
    this.keyArn = key.arn;
    this.registerOutputs({
      warehouseBucketName: this.warehouseBucketName,
      eventLogBucketName: this.eventLogBucketName,
      keyArn: this.keyArn,
    });
  }
}
