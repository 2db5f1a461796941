import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { EnvironmentConfig } from '../../config';
import { polarisCatalogUri } from '../../constructs/conventions';
import { AwsDataPlane, AwsDataPlaneOutputs } from '../../constructs/aws/aws-data-plane';
import { PlatformServices, PlatformServicesInputs } from '../../constructs/releases';
import { renderEnvironment } from '../k8s/render';

/** Options for {@link deployDataPlane}. */
export interface DeployDataPlaneOptions {
  /**
   * The Kubernetes provider the objects are applied with.
   * @default - the ambient provider (the current kubeconfig context)
   */
  readonly provider?: k8s.Provider;
  /**
   * What the first layer waits for besides its provider (the cluster's nodes and add-ons).
   * @default []
   */
  readonly dependsOn?: readonly pulumi.Resource[];
  /** What the platform services (Helm releases, deploy-time Secrets) need from the AWS layer. */
  readonly platform: PlatformServicesInputs;
}

/** What the stack exports. */
export interface DataPlaneDeployment {
  /** The applied layers in order, one ConfigGroup each. */
  readonly layers: readonly k8s.yaml.v2.ConfigGroup[];
  /** The Helm releases, installed after the platform layer and before the tenant layer. */
  readonly services: PlatformServices;
}

/**
 * The Pulumi program for one environment: synthesizes the same charts as `npm run synth`, in-process, and applies each
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

/**
 * How the Kubernetes layers are applied on the AWS layer's cluster: its provider, after its nodes and add-ons, with the
 * Polaris database and catalog storage it created.
 */
export function kubernetesLayerOptions(aws: AwsDataPlaneOutputs): DeployDataPlaneOptions {
  return {
    provider: aws.kubernetesProvider,
    dependsOn: aws.kubernetesDependencies,
    platform: {
      polarisDatabase: {
        jdbcUrl: aws.polarisDatabase.jdbcUrl,
        username: aws.polarisDatabase.username,
        password: aws.polarisDatabase.password,
      },
      catalogStorage: { roleArn: aws.catalogRoleArn, externalId: aws.catalogExternalId, kmsKeyArn: aws.storageKeyArn },
    },
  };
}

/** What a user of the stack needs (exported by `stacks/pulumi/index.ts`). */
export interface StackOutputs {
  /** Region the environment runs in. */
  readonly region: string;
  /** The EKS cluster. */
  readonly clusterName: pulumi.Output<string>;
  /** Writes a kubeconfig entry for the cluster (needs an access entry for the caller). */
  readonly kubeconfigCommand: pulumi.Output<string>;
  /** Iceberg warehouse bucket. */
  readonly warehouseBucket: pulumi.Output<string>;
  /** Base location of the catalog's tables. */
  readonly warehouseLocation: pulumi.Output<string>;
  /** Spark event-log bucket (read by the History Server). */
  readonly eventLogBucket: pulumi.Output<string>;
  /** In-cluster Iceberg REST catalog URI for Spark and ClickHouse clients. */
  readonly polarisUrl: string;
  /** Role Polaris vends table credentials from (the catalog's `storageConfigInfo.roleArn`). */
  readonly catalogRoleArn: pulumi.Output<string>;
}

/** The stack outputs derived from the AWS layer. */
export function stackOutputs(aws: AwsDataPlaneOutputs): StackOutputs {
  return {
    region: aws.region,
    clusterName: aws.clusterName,
    kubeconfigCommand: pulumi.interpolate`aws eks update-kubeconfig --region ${aws.region} --name ${aws.clusterName}`,
    warehouseBucket: aws.warehouseBucket,
    warehouseLocation: aws.warehouseLocation,
    eventLogBucket: aws.eventLogBucket,
    polarisUrl: polarisCatalogUri(),
    catalogRoleArn: aws.catalogRoleArn,
  };
}

/** One environment's stack: the AWS layer, then the Kubernetes layers on its cluster. */
export interface EnvironmentStack {
  readonly aws: AwsDataPlane;
  readonly deployment: DataPlaneDeployment;
  readonly outputs: StackOutputs;
}

/** The Pulumi program of one environment (Pulumi.yaml's main calls this). */
export function deployEnvironment(env: EnvironmentConfig): EnvironmentStack {
  const awsLayer = new AwsDataPlane(env.name, { environment: env });
  const deployment = deployDataPlane(env, kubernetesLayerOptions(awsLayer.outputs));
  return { aws: awsLayer, deployment, outputs: stackOutputs(awsLayer.outputs) };
}
