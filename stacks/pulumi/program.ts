import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CLUSTER_VERSIONS, ClusterVersion, EnvironmentConfig } from '../../config';
import { polarisCatalogUri } from '../../constructs/conventions';
import { AwsDataPlane, AwsDataPlaneOutputs } from '../../constructs/aws/aws-data-plane';
import { ClusterAddons, WORKLOAD_ADDONS } from '../../constructs/aws/cluster-addons';
import {
  Karpenter,
  kubeSystemNetworkPolicy,
  PlatformServices,
  PlatformServicesInputs,
} from '../../constructs/releases';
import { renderEnvironment } from '../k8s/render';

/** The two Pulumi projects (stacks/pulumi/<dir>/Pulumi.yaml); each has one stack per environment, named after it. */
export const PROJECTS = { infrastructure: 'dataplane-infrastructure', platform: 'dataplane-platform' } as const;

/** Options for {@link deployDataPlane}. */
export interface DeployDataPlaneOptions {
  /**
   * The Kubernetes provider the objects are applied with.
   * @default - the ambient provider (the current kubeconfig context)
   */
  readonly provider?: k8s.Provider;
  /**
   * What the first layer waits for besides its provider (the cluster's add-ons and Karpenter's NodePools).
   * @default []
   */
  readonly dependsOn?: readonly pulumi.Resource[];
  /** What the platform services (Helm releases, deploy-time Secrets) need from the infrastructure project. */
  readonly platform: PlatformServicesInputs;
}

/** The chart layers and Helm releases applied to the cluster. */
export interface DataPlaneDeployment {
  /** The applied layers in order, one ConfigGroup each. */
  readonly layers: readonly k8s.yaml.v2.ConfigGroup[];
  /** The Helm releases, installed after the platform layer and before the tenant layer. */
  readonly services: PlatformServices;
}

/**
 * The chart layers of one environment: synthesizes the same charts as `npm run synth`, in-process, and applies each
 * layer as a ConfigGroup that waits for the layer before it. The platform services are installed right after the platform
 * layer, and every later layer waits for them (so they are removed only after the custom resources that need them).
 */
export function deployDataPlane(env: EnvironmentConfig, options: DeployDataPlaneOptions): DataPlaneDeployment {
  const layers: k8s.yaml.v2.ConfigGroup[] = [];
  let services: PlatformServices | undefined;
  let previous: pulumi.Resource | undefined;
  for (const chart of renderEnvironment(env)) {
    const layer = new k8s.yaml.v2.ConfigGroup(
      `${env.name}-${chart.name}`,
      { objs: chart.objects as pulumi.Input<any>[] },
      { provider: options.provider, dependsOn: previous ? [previous] : [...(options.dependsOn ?? [])] },
    );
    layers.push(layer);
    previous = layer;
    if (chart.name === 'platform') {
      services = new PlatformServices(
        `${env.name}-services`,
        { env, ...options.platform },
        { provider: options.provider, dependsOn: [layer] },
      );
      previous = services;
    }
  }
  if (!services) throw new Error('the rendered charts have no platform layer');
  return { layers, services };
}

/** What the infrastructure project exports (`stacks/pulumi/infrastructure`), read back by the platform project. */
export interface InfrastructureStackOutputs {
  readonly region: string;
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly clusterEndpoint: pulumi.Output<string>;
  readonly kubernetesVersion: string;
  /** Kubeconfig JSON using `aws eks get-token` (no credential in it). */
  readonly kubeconfig: pulumi.Output<string>;
  /** Writes a kubeconfig entry for the cluster (needs an access entry for the caller). */
  readonly kubeconfigCommand: pulumi.Output<string>;
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  readonly karpenterInterruptionQueue: pulumi.Output<string>;
  readonly karpenterInstanceProfile: pulumi.Output<string>;
  /** Iceberg warehouse bucket. */
  readonly warehouseBucket: pulumi.Output<string>;
  /** Base location of the catalog's tables. */
  readonly warehouseLocation: pulumi.Output<string>;
  /** Spark event-log bucket (read by the History Servers). */
  readonly eventLogBucket: pulumi.Output<string>;
  readonly storageKeyArn: pulumi.Output<string>;
  readonly polarisJdbcUrl: pulumi.Output<string>;
  readonly polarisDatabaseUser: string;
  /** Secret. */
  readonly polarisDatabasePassword: pulumi.Output<string>;
  /** Role Polaris vends table credentials from (the catalog's `storageConfigInfo.roleArn`). */
  readonly catalogRoleArn: pulumi.Output<string>;
  /** Secret: the catalog role's external ID. */
  readonly catalogExternalId: pulumi.Output<string>;
  /** In-cluster Iceberg REST catalog URI for Spark and ClickHouse clients. */
  readonly polarisUrl: string;
}

/** The infrastructure project's outputs, from the AWS layer. */
export function infrastructureOutputs(aws: AwsDataPlaneOutputs): InfrastructureStackOutputs {
  return {
    region: aws.region,
    clusterName: aws.clusterName,
    clusterArn: aws.clusterArn,
    clusterEndpoint: aws.clusterEndpoint,
    kubernetesVersion: aws.kubernetesVersion,
    kubeconfig: aws.kubeconfig,
    kubeconfigCommand: pulumi.interpolate`aws eks update-kubeconfig --region ${aws.region} --name ${aws.clusterName}`,
    nodeSecurityGroupId: aws.nodeSecurityGroupId,
    karpenterInterruptionQueue: aws.karpenter.interruptionQueueName,
    karpenterInstanceProfile: aws.karpenter.instanceProfileName,
    warehouseBucket: aws.warehouseBucket,
    warehouseLocation: aws.warehouseLocation,
    eventLogBucket: aws.eventLogBucket,
    storageKeyArn: aws.storageKeyArn,
    polarisJdbcUrl: aws.polarisDatabase.jdbcUrl,
    polarisDatabaseUser: aws.polarisDatabase.username,
    polarisDatabasePassword: pulumi.secret(aws.polarisDatabase.password),
    catalogRoleArn: aws.catalogRoleArn,
    catalogExternalId: pulumi.secret(aws.catalogExternalId),
    polarisUrl: polarisCatalogUri(),
  };
}

/** The infrastructure project of one environment (`stacks/pulumi/infrastructure/index.ts` calls this). */
export function deployInfrastructure(env: EnvironmentConfig): {
  aws: AwsDataPlane;
  outputs: InfrastructureStackOutputs;
} {
  const awsLayer = new AwsDataPlane(env.name, { environment: env });
  return { aws: awsLayer, outputs: infrastructureOutputs(awsLayer.outputs) };
}

/** What the platform project takes from the infrastructure project (any Input: a StackReference's outputs, or values). */
export type PlatformInputs = {
  readonly [K in Exclude<keyof InfrastructureStackOutputs, 'region' | 'polarisUrl'>]: pulumi.Input<string>;
};

/** The infrastructure stack of the same environment: `<organization>/dataplane-infrastructure/<stack>`. */
export function infrastructureStackName(organization: string, stack: string): string {
  return `${organization}/${PROJECTS.infrastructure}/${stack}`;
}

/** Reads the platform project's inputs from the infrastructure stack, every one required (a missing one fails early). */
export function platformInputsFrom(stack: pulumi.StackReference): PlatformInputs {
  const keys: (keyof PlatformInputs)[] = [
    'clusterName',
    'clusterArn',
    'clusterEndpoint',
    'kubernetesVersion',
    'kubeconfig',
    'kubeconfigCommand',
    'nodeSecurityGroupId',
    'karpenterInterruptionQueue',
    'karpenterInstanceProfile',
    'warehouseBucket',
    'warehouseLocation',
    'eventLogBucket',
    'storageKeyArn',
    'polarisJdbcUrl',
    'polarisDatabaseUser',
    'polarisDatabasePassword',
    'catalogRoleArn',
    'catalogExternalId',
  ];
  return Object.fromEntries(keys.map((k) => [k, stack.requireOutput(k)])) as unknown as PlatformInputs;
}

/** Everything the platform project applies to the cluster. */
export interface PlatformDeployment {
  readonly provider: k8s.Provider;
  readonly kubeSystemPolicy: k8s.networking.v1.NetworkPolicy;
  /** CoreDNS and the EBS CSI driver: Deployments, so they come after kube-system's network policy. */
  readonly workloadAddons: ClusterAddons;
  readonly karpenter: Karpenter;
  readonly deployment: DataPlaneDeployment;
}

/**
 * The platform project of one environment, in order: the Kubernetes provider (from the infrastructure stack's
 * kubeconfig, known before the preview starts, so it is never shown as replaced), kube-system's network policy (the CNI
 * runs in strict mode), the add-ons that run Deployments, Karpenter and its NodePools, then the chart layers and Helm
 * releases. No `deleteUnreachable`: a refresh from a host that cannot reach the cluster fails instead of dropping
 * every object from the state.
 */
export function deployPlatform(env: EnvironmentConfig, inputs: PlatformInputs): PlatformDeployment {
  const version = env.aws.cluster.version;
  if (!(CLUSTER_VERSIONS as readonly string[]).includes(version)) throw new Error(`no add-on pins for ${version}`);
  const awsProvider = new aws.Provider(`${env.name}-aws`, {
    region: env.region as aws.Region,
    defaultTags: { tags: { 'dataplane.io/environment': env.name } },
  });
  const provider = new k8s.Provider(`${env.name}-k8s`, { kubeconfig: inputs.kubeconfig, enableServerSideApply: true });
  const kubeSystemPolicy = kubeSystemNetworkPolicy(`${env.name}-kube-system-allow-all`, { provider });
  const workloadAddons = new ClusterAddons(
    `${env.name}-workload-addons`,
    {
      clusterName: inputs.clusterName,
      clusterArn: inputs.clusterArn,
      version: version as ClusterVersion,
      addons: WORKLOAD_ADDONS,
      waitFor: [kubeSystemPolicy],
    },
    { providers: [awsProvider] },
  );
  const karpenter = new Karpenter(
    `${env.name}-karpenter`,
    {
      clusterName: inputs.clusterName,
      clusterEndpoint: inputs.clusterEndpoint,
      interruptionQueueName: inputs.karpenterInterruptionQueue,
      instanceProfileName: inputs.karpenterInstanceProfile,
      nodeSecurityGroupId: inputs.nodeSecurityGroupId,
      maxCpu: env.capacity.spark.maxCpu,
      maxMemory: env.capacity.spark.maxMemory,
      system: env.capacity.system,
      controllerReplicas: Math.min(2, env.capacity.system.minNodes),
    },
    { provider, dependsOn: [kubeSystemPolicy, ...workloadAddons.addons] },
  );
  const deployment = deployDataPlane(env, {
    provider,
    dependsOn: [...workloadAddons.addons, ...karpenter.nodePools],
    platform: {
      polarisDatabase: {
        jdbcUrl: inputs.polarisJdbcUrl,
        username: inputs.polarisDatabaseUser,
        password: inputs.polarisDatabasePassword,
      },
      catalogStorage: {
        roleArn: inputs.catalogRoleArn,
        externalId: inputs.catalogExternalId,
        kmsKeyArn: inputs.storageKeyArn,
      },
    },
  });
  return { provider, kubeSystemPolicy, workloadAddons, karpenter, deployment };
}
