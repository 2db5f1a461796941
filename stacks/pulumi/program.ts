import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { EnvironmentConfig } from '../../config';
import { renderEnvironment } from '../k8s/render';

/** Options for {@link deployDataPlane}. */
export interface DeployDataPlaneOptions {
  /**
   * The Kubernetes provider the objects are applied with.
   * @default - the ambient provider (the current kubeconfig context)
   */
  readonly provider?: k8s.Provider;
}

/** What the stack exports. */
export interface DataPlaneDeployment {
  /** The applied layers in order, one ConfigGroup each. */
  readonly layers: readonly k8s.yaml.v2.ConfigGroup[];
}

/**
 * The Pulumi program for one environment: synthesizes the same charts as `npm run synth`, in-process, and applies each
 * layer as a ConfigGroup that waits for the layer before it.
 */
export function deployDataPlane(env: EnvironmentConfig, options: DeployDataPlaneOptions = {}): DataPlaneDeployment {
  const layers: k8s.yaml.v2.ConfigGroup[] = [];
  for (const chart of renderEnvironment(env)) {
    const previous = layers[layers.length - 1];
    layers.push(
      new k8s.yaml.v2.ConfigGroup(
        `${env.name}-${chart.name}`,
        { objs: chart.objects as pulumi.Input<any>[] },
        { provider: options.provider, dependsOn: previous ? [previous] : [] },
      ),
    );
  }
  return { layers };
}
