import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { EnvironmentConfig } from '../../config';
import { PlatformServices, PlatformServicesInputs } from '../../constructs/releases';
import { renderEnvironment } from '../k8s/render';

/** Options for {@link deployDataPlane}. */
export interface DeployDataPlaneOptions {
  /**
   * The Kubernetes provider the objects are applied with.
   * @default - the ambient provider (the current kubeconfig context)
   */
  readonly provider?: k8s.Provider;
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
      { provider: options.provider, dependsOn: previous ? [previous] : [] },
    );
    layers.push(layer);
    previous = layer;
    if (chart.name === 'platform') {
      services = new PlatformServices(`${env.name}-services`, { env, ...options.platform }, { provider: options.provider, dependsOn: [layer] });
      previous = services;
    }
  }
  if (!services) throw new Error('the rendered charts have no platform layer');
  return { layers, services };
}
