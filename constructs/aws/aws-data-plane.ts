import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ClusterVersion, EnvironmentConfig, Problems } from '../../config';
import { ClusterAddons, NODE_BOOTSTRAP_ADDONS } from './cluster-addons';
import { DataPlaneCluster } from './data-plane-cluster';
import { DataPlaneIdentities } from './data-plane-identities';
import { DataPlaneNetwork } from './data-plane-network';
import { DataPlaneStorage } from './data-plane-storage';
import { PolarisDatabase } from './polaris-database';
import { protectionFor } from './protection';
import { KarpenterInfrastructure } from './karpenter-infrastructure';
import { SystemNodeGroup } from './system-node-group';

/** Connection details of the Polaris metastore. */
export interface PolarisDatabaseOutputs {
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly databaseName: string;
  readonly username: string;
  /** Secret. */
  readonly password: pulumi.Output<string>;
  /** `jdbc:postgresql://host:port/db?sslmode=require`. */
  readonly jdbcUrl: pulumi.Output<string>;
}

/**
 * What the infrastructure project exports and the platform project reads back through a StackReference: plain values
 * (no resource objects), so each project's program stands alone.
 */
export interface AwsDataPlaneOutputs {
  readonly region: string;
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly clusterEndpoint: pulumi.Output<string>;
  /** Kubernetes minor of the control plane (selects the add-on pins in the platform project). */
  readonly kubernetesVersion: ClusterVersion;
  /** Kubeconfig JSON using `aws eks get-token` (no embedded credential). */
  readonly kubeconfig: pulumi.Output<string>;
  /** Security group of every node; Karpenter's node classes select it. */
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  /** Karpenter's interruption queue and node instance profile. */
  readonly karpenter: {
    readonly interruptionQueueName: pulumi.Output<string>;
    readonly instanceProfileName: pulumi.Output<string>;
  };
  readonly warehouseBucket: pulumi.Output<string>;
  /** `s3://<warehouse>/<catalog>/`: the catalog's default base location and only allowed location. */
  readonly warehouseLocation: pulumi.Output<string>;
  readonly eventLogBucket: pulumi.Output<string>;
  /** KMS key of both buckets (Polaris `storageConfigInfo.currentKmsKey`). */
  readonly storageKeyArn: pulumi.Output<string>;
  readonly polarisDatabase: PolarisDatabaseOutputs;
  /** Role bound to `polaris/polaris` by Pod Identity (informational: nothing to annotate). */
  readonly polarisRoleArn: pulumi.Output<string>;
  /** Catalog `storageConfigInfo.roleArn`. */
  readonly catalogRoleArn: pulumi.Output<string>;
  /** Catalog `storageConfigInfo.externalId`. */
  readonly catalogExternalId: pulumi.Output<string>;
  /** Role bound to `<tenant>/spark-driver`, per tenant. */
  readonly sparkJobRoleArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Role bound to `spark-history/spark-history-server`. */
  readonly historyServerRoleArn: pulumi.Output<string>;
}

/** Arguments of {@link AwsDataPlane}. */
export interface AwsDataPlaneArgs {
  /** The environment to build. */
  readonly environment: EnvironmentConfig;
  /**
   * Name of the EKS cluster.
   * @default `dataplane-<environment>`
   */
  readonly clusterName?: string;
}

/**
 * The infrastructure project of one environment, in dependency order: network, cluster, node-bootstrap add-ons (the
 * host-network DaemonSets nodes need to become Ready), the system node group, Karpenter's AWS side, storage, IAM with
 * every Pod Identity association, and the Polaris database. It only calls AWS APIs, never the Kubernetes API, so it
 * deploys from anywhere with AWS credentials; the platform project does the rest. Everything is created in
 * `environment.region` through its own AWS provider.
 */
export class AwsDataPlane extends pulumi.ComponentResource {
  static readonly TYPE = 'dataplane:aws:AwsDataPlane';

  public readonly network: DataPlaneNetwork;
  public readonly cluster: DataPlaneCluster;
  public readonly bootstrapAddons: ClusterAddons;
  public readonly systemNodes: SystemNodeGroup;
  public readonly karpenter: KarpenterInfrastructure;
  public readonly storage: DataPlaneStorage;
  public readonly identities: DataPlaneIdentities;
  public readonly database: PolarisDatabase;
  public readonly outputs: AwsDataPlaneOutputs;

  constructor(name: string, args: AwsDataPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AwsDataPlane.TYPE, name, {}, opts);
    const env = args.environment;
    const clusterName = args.clusterName ?? `dataplane-${env.name}`;
    const problems = new Problems(`${AwsDataPlane.TYPE} ${name}`);
    // The catalog role is named after the cluster and IAM role names stop at 64 characters.
    problems.check(
      /^[a-z][a-z0-9-]{0,40}$/.test(clusterName),
      'clusterName',
      clusterName,
      'lower-case letters, digits and "-", at most 41 characters',
    );
    problems.throwIfAny();

    const provider = new aws.Provider(
      `${name}-aws`,
      {
        region: env.region as aws.Region,
        defaultTags: { tags: { 'dataplane.io/environment': env.name, 'dataplane.io/cluster': clusterName } },
      },
      { parent: this },
    );
    const child = { parent: this, providers: [provider] };
    const protection = protectionFor(env);

    this.network = new DataPlaneNetwork(
      `${name}-network`,
      {
        vpcCidr: env.network.vpcCidr,
        availabilityZones: env.network.availabilityZones,
        region: env.region,
        clusterName,
        natGateways: env.network.natGateways,
        interfaceEndpoints: env.network.interfaceEndpoints,
      },
      child,
    );
    const c = env.aws.cluster;
    this.cluster = new DataPlaneCluster(
      `${name}-cluster`,
      {
        clusterName,
        region: env.region,
        vpcId: this.network.vpcId,
        subnetIds: this.network.privateSubnetIds,
        version: c.version,
        publicAccessCidrs: c.publicAccessCidrs,
        deployerCidrs: c.deployerCidrs,
        admins: c.admins,
        logRetentionDays: c.logRetentionDays,
        protection,
      },
      child,
    );
    const clusterRef = { clusterName: this.cluster.clusterName, clusterArn: this.cluster.clusterArn };
    this.bootstrapAddons = new ClusterAddons(
      `${name}-bootstrap-addons`,
      { ...clusterRef, version: this.cluster.version, addons: NODE_BOOTSTRAP_ADDONS },
      child,
    );
    this.systemNodes = new SystemNodeGroup(
      `${name}-system`,
      {
        clusterName: this.cluster.clusterName,
        version: this.cluster.version,
        subnetIds: this.network.privateSubnetIds,
        nodeSecurityGroupId: this.cluster.nodeSecurityGroupId,
        instanceTypes: env.capacity.system.instanceTypes,
        minNodes: env.capacity.system.minNodes,
        maxNodes: env.capacity.system.maxNodes,
        waitFor: this.bootstrapAddons.addons,
      },
      child,
    );
    this.karpenter = new KarpenterInfrastructure(
      `${name}-karpenter`,
      {
        ...clusterRef,
        region: env.region,
        subnetIds: this.network.privateSubnetIds,
        nodeSecurityGroupId: this.cluster.nodeSecurityGroupId,
      },
      child,
    );

    this.storage = new DataPlaneStorage(
      `${name}-storage`,
      {
        warehouseBucket: env.storage.warehouseBucket,
        eventLogBucket: env.storage.eventLogBucket,
        eventLogRetentionDays: env.aws.eventLogRetentionDays,
        tenants: env.tenants.map((t) => t.name),
        protection,
      },
      child,
    );
    this.identities = new DataPlaneIdentities(
      `${name}-iam`,
      {
        ...clusterRef,
        warehouseBucketArn: this.storage.warehouseBucketArn,
        catalogName: env.catalog.name,
        catalogRoleName: `${clusterName}-polaris-catalog`,
        eventLogBucketArn: this.storage.eventLogBucketArn,
        storageKeyArn: this.storage.keyArn,
        tenants: env.tenants.map((t) => t.name),
        protection,
        remoteWriteWorkspaceArn: env.monitoring.stack?.remoteWrite?.workspaceArn,
      },
      child,
    );
    const db = env.aws.database;
    this.database = new PolarisDatabase(
      `${name}-polaris-db`,
      {
        vpcId: this.network.vpcId,
        subnetIds: this.network.privateSubnetIds,
        clientSecurityGroupIds: [this.cluster.nodeSecurityGroupId],
        instanceClass: db.instanceClass,
        allocatedStorageGb: db.allocatedStorageGb,
        maxAllocatedStorageGb: db.maxAllocatedStorageGb,
        backupRetentionDays: db.backupRetentionDays,
        multiAz: db.multiAz,
        protection,
      },
      child,
    );

    this.outputs = {
      region: env.region,
      clusterName: this.cluster.clusterName,
      clusterArn: this.cluster.clusterArn,
      clusterEndpoint: this.cluster.endpoint,
      kubernetesVersion: this.cluster.version,
      kubeconfig: this.cluster.kubeconfig,
      nodeSecurityGroupId: this.cluster.nodeSecurityGroupId,
      karpenter: {
        interruptionQueueName: this.karpenter.interruptionQueueName,
        instanceProfileName: this.karpenter.instanceProfileName,
      },
      warehouseBucket: this.storage.warehouseBucketName,
      warehouseLocation: pulumi.interpolate`s3://${this.storage.warehouseBucketName}/${env.catalog.name}/`,
      eventLogBucket: this.storage.eventLogBucketName,
      storageKeyArn: this.storage.keyArn,
      polarisDatabase: {
        host: this.database.host,
        port: this.database.port,
        databaseName: this.database.databaseName,
        username: this.database.username,
        password: this.database.password,
        jdbcUrl: this.database.jdbcUrl,
      },
      polarisRoleArn: this.identities.polarisRoleArn,
      catalogRoleArn: this.identities.catalogRoleArn,
      catalogExternalId: this.identities.catalogExternalId,
      sparkJobRoleArns: this.identities.sparkJobRoleArns,
      historyServerRoleArn: this.identities.historyServerRoleArn,
    };
    this.registerOutputs({
      clusterName: this.outputs.clusterName,
      warehouseBucket: this.outputs.warehouseBucket,
      eventLogBucket: this.outputs.eventLogBucket,
    });
  }
}
